package io.orchestrion.engine.persistence;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Brings the schema up to date with the Flyway migrations under {@code db/migration}. The scripts
 * are shared by every dialect; the differences are placeholders (see {@link
 * Dialect#migrationPlaceholders()} and docs/persistence.md): {@code ${json_type}}, {@code
 * ${binary_type}}, {@code ${text_collation}} and {@code ${identity_cache}}. A migration that SQL
 * cannot write once for every dialect is a Java class ({@link RunInstancesMigration}, V20).
 */
public final class Migrations {
  public static final String LOCATION = "classpath:db/migration";

  private Migrations() {}

  /**
   * Flyway's configuration of the engine's migrations: the scripts under {@link #LOCATION} and the
   * migrations written in Java ({@link RunInstancesMigration}), with {@code dialect}'s
   * placeholders.
   */
  public static FluentConfiguration configuration(DataSource dataSource, Dialect dialect) {
    Map<String, String> placeholders = dialect.migrationPlaceholders();
    return Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations(LOCATION)
        .javaMigrations(new RunInstancesMigration())
        .placeholders(placeholders)
        .validateMigrationNaming(true)
        // Never let a misconfigured embedder wipe a production schema.
        .cleanDisabled(true);
  }

  public static void migrate(DataSource dataSource, Dialect dialect) {
    try {
      configuration(dataSource, dialect).load().migrate();
    } catch (FlywayException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "Migrating the " + dialect + " database schema failed: " + e.getMessage(),
          e);
    }
    if (dialect == Dialect.H2) {
      H2Identities.catchUp(dataSource);
    }
  }
}

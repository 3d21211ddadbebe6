package io.orchestrion.engine.persistence;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Brings the schema up to date with the Flyway migrations under {@code db/migration}. The scripts
 * are shared by every dialect; the differences are placeholders (see {@link
 * Dialect#migrationPlaceholders()} and docs/persistence.md): {@code ${json_type}}, {@code
 * ${binary_type}}, {@code ${text_collation}} and {@code ${identity_cache}}.
 */
public final class Migrations {
  public static final String LOCATION = "classpath:db/migration";

  private Migrations() {}

  public static void migrate(DataSource dataSource, Dialect dialect) {
    Map<String, String> placeholders = dialect.migrationPlaceholders();
    try {
      Flyway.configure(Migrations.class.getClassLoader())
          .dataSource(dataSource)
          .locations(LOCATION)
          .placeholders(placeholders)
          .validateMigrationNaming(true)
          // Never let a misconfigured embedder wipe a production schema.
          .cleanDisabled(true)
          .load()
          .migrate();
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

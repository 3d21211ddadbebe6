package io.orchestrion.engine.run;

import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.run.model.StepInstance;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Reads of step instances without the run's lock, out of the runs' documents of their instances
 * ({@link InstancesDocument}): the step a worker runs a segment of (the job's lease fences the
 * segment; its result is applied under the lock), and whether any run still runs a flow version.
 */
public final class StepReads {
  private final InstancesDocument instances;

  @Inject
  StepReads(InstancesDocument instances) {
    this.instances = instances;
  }

  /** A background step instance as a worker sees it. */
  public record RunningStep(
      String name,
      StepStatus status,
      int attempt,
      String flow,
      int flowVersion,
      String runAsUserId,
      RunMode runMode) {}

  /**
   * The step instance {@code stepInstanceId} of run {@code runId}, if it exists and its flow has
   * been resolved.
   */
  public Optional<RunningStep> find(Transaction tx, String runId, String stepInstanceId)
      throws SQLException {
    try (PreparedStatement statement =
        tx.connection().prepareStatement("SELECT instances FROM runs WHERE id = ?")) {
      statement.setString(1, runId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        RunRows.StepRow step = instances.step(rs.getString(1), stepInstanceId);
        StepInstance.Stored stored = step == null ? null : step.stored();
        // Unresolved until its flow, version and run mode are set together.
        if (stored == null
            || stored.flow() == null
            || stored.flowVersion() == null
            || stored.runMode() == null) {
          return Optional.empty();
        }
        return Optional.of(
            new RunningStep(
                step.name(),
                stored.status(),
                stored.attempt(),
                stored.flow(),
                stored.flowVersion(),
                stored.runAsUserId(),
                stored.runMode()));
      }
    }
  }

  /**
   * The first unfinished (in progress or suspended) run, by id, with a step instance in progress
   * that runs version {@code version} of flow {@code flow} (a running or paused interview), as "the
   * interview of step 'S' of run R"; empty if there is none. Reads every unfinished run whose
   * document names the flow: a rare administrative check (deleting a flow version), as the scan of
   * the former step table was.
   */
  public Optional<String> runningInterview(Transaction tx, String flow, int version)
      throws SQLException {
    try (PreparedStatement select =
        tx.connection()
            .prepareStatement(
                "SELECT id, instances FROM runs WHERE status IN ('IN_PROGRESS', 'SUSPENDED')"
                    + " AND instances LIKE ? ORDER BY id")) {
      select.setString(1, "%\"flow\":\"" + flow + "\"%");
      select.setFetchSize(100);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          for (RunRows.StepRow step : instances.read(rows.getString(2)).steps()) {
            if (step.stored().status() == StepStatus.IN_PROGRESS
                && flow.equals(step.stored().flow())
                && Integer.valueOf(version).equals(step.stored().flowVersion())) {
              return Optional.of(
                  "the interview of step '" + step.name() + "' of run " + rows.getString(1));
            }
          }
        }
      }
    }
    return Optional.empty();
  }
}

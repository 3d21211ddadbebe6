package io.orchestrion.engine.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.orchestration.RunAsSpec;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.security.DirectoryIndex;
import io.orchestrion.security.RunModes;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.security.SystemUsers;
import io.orchestrion.spi.RecordStore;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds whom a background step's flow runs as (SPEC §7) and in which effective mode: the automated
 * process user (the default), the submitter, a given user, the user in a record field, or the user
 * who decided the run's most recent work item. The user must exist and be active; otherwise the
 * step cannot start and the error says what to fix before retrying it.
 */
public final class RunAsResolver {
  private final EngineSecurity security;

  @Inject
  public RunAsResolver(EngineSecurity security) {
    this.security = requireNonNull(security, "security is null");
  }

  /** What the resolution needs to know about the step and its run. */
  public record StepFacts(
      String stepName,
      String runId,
      String submitterId,
      Function<String, Optional<Object>> recordField) {
    public StepFacts {
      requireNonNull(stepName, "stepName is null");
      requireNonNull(runId, "runId is null");
      requireNonNull(submitterId, "submitterId is null");
      requireNonNull(recordField, "recordField is null");
    }
  }

  /**
   * The running user and effective mode of a background step's flow.
   *
   * @param declaredMode the flow's run mode; DEFAULT resolves by the user (SPEC §7)
   * @throws OrchestrionException INVALID_REQUEST when the user cannot be found or is inactive: the
   *     step goes to ERROR and can be retried once the directory or the record is fixed
   */
  public SecurityContext resolve(
      Transaction tx, RunAsSpec runAs, RunMode declaredMode, StepFacts step) {
    requireNonNull(tx, "tx is null");
    return resolve(tx, () -> security.index(tx), runAs, declaredMode, step);
  }

  /**
   * Like {@link #resolve(Transaction, RunAsSpec, RunMode, StepFacts)}, deciding with the index
   * {@code directory} gives (a command's, read through its unit of work).
   */
  public SecurityContext resolve(
      Transaction tx,
      Supplier<DirectoryIndex> directory,
      RunAsSpec runAs,
      RunMode declaredMode,
      StepFacts step) {
    requireNonNull(tx, "tx is null");
    requireNonNull(directory, "directory is null");
    requireNonNull(runAs, "runAs is null");
    requireNonNull(declaredMode, "declaredMode is null");
    requireNonNull(step, "step is null");
    String purpose = "runAs " + runAs.type() + " of step '" + step.stepName() + "'";
    String userId =
        switch (runAs.type()) {
          case AUTOMATED_PROCESS_USER -> SystemUsers.AUTOMATED_PROCESS_USER_ID;
          case SUBMITTER -> step.submitterId();
          case USER ->
              runAs.userId().orElseThrow(() -> unresolvable(purpose + ": no userId is configured"));
          case RECORD_FIELD -> {
            String field =
                runAs.field().orElseThrow(() -> unresolvable(purpose + ": no field is configured"));
            Object value = step.recordField().apply(field).orElse(null);
            if (!(value instanceof String id) || id.isBlank()) {
              throw unresolvable(
                  purpose
                      + ": field '"
                      + field
                      + "' of the record holds no user id ("
                      + (value == null ? "it is empty" : "it holds '" + value + "'")
                      + "); set it, then retry the step");
            }
            yield id;
          }
          case LAST_APPROVER ->
              lastApprover(tx, step.runId())
                  .orElseThrow(
                      () ->
                          unresolvable(
                              purpose
                                  + ": no work item of this run has been decided yet; retry the"
                                  + " step after a decision"));
        };
    if (!userId.equals(SystemUsers.AUTOMATED_PROCESS_USER_ID)) {
      // The automated process user always exists and cannot be changed (DirectoryService):
      // the default run-as needs no directory read.
      directory.get().requireRunnable(userId, purpose);
    }
    return new SecurityContext(userId, RunModes.resolve(declaredMode, userId));
  }

  /**
   * {@code records} enforcing {@code context} for an interview of the step, deciding with the index
   * {@code directory} gives.
   */
  public RecordStore recordsFor(
      RecordStore records, SecurityContext context, Supplier<DirectoryIndex> directory) {
    return security.secured(records, context, directory);
  }

  private static Optional<String> lastApprover(Transaction tx, String runId) {
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement(
                "SELECT decided_by FROM work_items WHERE run_id = ? AND decided_by IS NOT NULL"
                    + " AND decided_at IS NOT NULL ORDER BY decided_at DESC, id DESC LIMIT 1")) {
      statement.setString(1, runId);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw Database.databaseError("finding the last approver of run '" + runId + "'", e);
    }
  }

  private static OrchestrionException unresolvable(String message) {
    return new OrchestrionException(StandardErrorCode.INVALID_REQUEST, message);
  }
}

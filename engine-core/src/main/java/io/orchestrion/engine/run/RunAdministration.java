package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.approvals.ApprovalRules;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.run.model.RunOutbox;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.spi.RecordStore;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a submitter or an administrator does to a submission and its run (SPEC §3): recall, cancel,
 * suspend, resume, retry — each authorized, audited and applied inside the caller's transaction
 * under the run's lock ({@link LockedRuns}).
 */
public final class RunAdministration {
  private final LockedRuns runs;
  private final RunPermissions permissions;
  private final EvaluationPass evaluation;

  @Inject
  RunAdministration(LockedRuns runs, RunPermissions permissions, EvaluationPass evaluation) {
    this.runs = runs;
    this.permissions = permissions;
    this.evaluation = evaluation;
  }

  /**
   * SPEC §3.1: the submission is RECALLED at once; the current stage and its unfinished steps are
   * CANCELED, open work items RECALLED, running interviews canceled; the recall stage, if any,
   * runs, and the run ends CANCELED.
   */
  public void recall(UnitOfWork uow, String runId, Optional<String> comments, String actorId)
      throws SQLException {
    RunState run = runs.lock(uow, runId);
    run.actAs(actorId);
    requireOpen(run, "recalled");
    boolean submitter = actorId.equals(run.submission().submitterId());
    if (!ApprovalRules.mayRecall(submitter, permissions.isApprovalAdmin(uow, actorId))) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "only the submitter or an approval admin may recall submission '%s'"
              .formatted(run.submission().id()));
    }
    Instant now = uow.now();
    run.recall(comments, now);
    run.outbox()
        .audit(
            new RunOutbox.AuditEntry(
                "RECALL", actorId, submitter ? "SUBMITTER" : "ADMIN", "API", comments, now));
    CompiledOrchestration orchestration = runs.orchestrationOf(uow, run);
    if (orchestration.recallStage().isPresent()) {
      run.enterRecallStage(orchestration.recallStage().get(), now);
      evaluation.run(uow, run, orchestration);
    } else {
      run.endRecalled(now);
    }
    runs.persist(uow, run, orchestration);
  }

  /** SPEC §3.1: like recall without the recall stage; the submission is CANCELED. */
  public void cancel(UnitOfWork uow, String runId, Optional<String> comments, String actorId)
      throws SQLException {
    RunState run = runs.lock(uow, runId);
    run.actAs(actorId);
    requireOpen(run, "canceled");
    if (!ApprovalRules.mayCancel(permissions.isApprovalAdmin(uow, actorId))) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "canceling a submission needs an approval admin (APPROVAL_ADMIN)");
    }
    Instant now = uow.now();
    run.cancel(now);
    run.outbox().audit(new RunOutbox.AuditEntry("CANCEL", actorId, "ADMIN", "API", comments, now));
    runs.persist(uow, run);
  }

  /** SPEC §3.2: a suspended run starts no new step; results that arrive apply on resume. */
  public void suspend(UnitOfWork uow, String runId, String actorId) throws SQLException {
    RunState run = switchStatus(uow, runId, actorId, RunStatus.IN_PROGRESS, RunStatus.SUSPENDED);
    runs.persist(uow, run);
  }

  /** Suspends (IN_PROGRESS → SUSPENDED) or resumes a run, with its audit entry. */
  private RunState switchStatus(
      UnitOfWork uow, String runId, String actorId, RunStatus from, RunStatus to)
      throws SQLException {
    RunState run = runs.lock(uow, runId);
    run.actAs(actorId);
    String verb = to == RunStatus.SUSPENDED ? "suspend" : "resume";
    permissions.requireRunManager(uow, actorId, verb);
    boolean allowed =
        to == RunStatus.SUSPENDED
            ? ApprovalRules.maySuspendFrom(run.status())
            : ApprovalRules.mayResumeFrom(run.status());
    if (!allowed) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "run '%s' is %s; only %s runs can be %s"
              .formatted(
                  runId, run.status(), from, verb.equals("suspend") ? "suspended" : "resumed"));
    }
    Instant now = uow.now();
    if (to == RunStatus.SUSPENDED) {
      run.suspend(now);
    } else {
      run.resume(now);
    }
    run.outbox()
        .audit(
            new RunOutbox.AuditEntry(
                verb.toUpperCase(java.util.Locale.ROOT),
                actorId,
                "ADMIN",
                "API",
                Optional.empty(),
                now));
    return run;
  }

  public void resume(UnitOfWork uow, String runId, String actorId) throws SQLException {
    RunState run = switchStatus(uow, runId, actorId, RunStatus.SUSPENDED, RunStatus.IN_PROGRESS);
    evaluation.run(uow, run, runs.orchestrationOf(uow, run));
    runs.persist(uow, run);
  }

  /**
   * SPEC §3.3: re-runs the errored step of the current stage from the start, with the flow version
   * active now, and restarts the steps its failure discontinued; a run that failed without a failed
   * step (a condition or routing error) is simply evaluated again. Works for every error, at any
   * time later.
   */
  public void retry(UnitOfWork uow, String runId, String actorId) throws SQLException {
    RunState run = runs.lock(uow, runId);
    run.actAs(actorId);
    permissions.requireRunManager(uow, actorId, "retry");
    if (!ApprovalRules.mayRetryFrom(run.status())) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "run '%s' is %s; only runs in ERROR can be retried".formatted(runId, run.status()));
    }
    Instant now = uow.now();
    StageInstance stage =
        run.currentStage()
            .orElseThrow(
                () ->
                    new OrchestrionException(
                        StandardErrorCode.CONFLICT,
                        "run '%s' has no current stage".formatted(runId)));
    run.outbox()
        .audit(new RunOutbox.AuditEntry("RETRY", actorId, "ADMIN", "API", Optional.empty(), now));
    run.retry(stage, now);
    CompiledOrchestration orchestration = runs.orchestrationOf(uow, run);
    RecordStore records = uow.records();
    PassResolver resolver = evaluation.resolver(uow, run, orchestration, records, now);
    CompiledOrchestration.Stage compiledStage = stage.compiledIn(orchestration);
    List<StepInstance> restart = new ArrayList<>();
    for (StepInstance step : run.stepsOf(stage)) {
      if (step.status() == StepStatus.ERROR) {
        restart.add(0, step);
        for (StepInstance sibling : run.stepsOf(stage)) {
          if (sibling.discontinuedBy().equals(Optional.of(step.id()))) {
            restart.add(sibling);
          }
        }
      }
    }
    for (StepInstance step : restart) {
      if (run.status() != RunStatus.IN_PROGRESS) {
        break;
      }
      // Starting it again clears its error, outputs and discontinuedBy.
      evaluation.startStep(
          uow,
          run,
          orchestration,
          step,
          compiledStage.steps().get(step.stepIndex()),
          resolver,
          records,
          now);
    }
    evaluation.run(uow, run, orchestration);
    runs.persist(uow, run, orchestration);
  }

  private static void requireOpen(RunState run, String what) {
    if (!ApprovalRules.isOpen(run.submission().status())) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "submission '%s' is %s; only IN_PROGRESS submissions can be %s"
              .formatted(run.submission().id(), run.submission().status(), what));
    }
  }
}

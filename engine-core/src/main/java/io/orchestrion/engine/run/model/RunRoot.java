package io.orchestrion.engine.run.model;

import io.orchestrion.api.run.RunStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run's own row ({@code runs}) and what its unit of work collects (outbox, notifications,
 * actor, synchronous time budget): fields and reads. Only {@link RunState}'s transitions change
 * them, through the package-private setters below, each of which marks the row changed.
 */
public abstract sealed class RunRoot extends RunInstances permits RunState {
  private final String id;
  private final long definitionId;
  private final Instant createdAt;
  private final Map<String, Object> variables;
  private final Submission submission;
  private RunStatus status;
  private String currentStageId;
  private String error;
  private Map<String, Object> observed;
  private Map<String, Object> evaluations;
  private Outcome outcome;
  private boolean rejected;
  private String lastApproverId;
  private long revision;
  private boolean isNew;
  private boolean changed;

  private final RunOutbox outbox;
  private final Notifications notifications = new Notifications(this);
  private String actorId;
  private long synchronousDeadline;
  private boolean synchronousDeadlineSet;

  /**
   * The stored columns of a run ({@code runs}), nullable as stored; {@code revision} counts the
   * transactions that wrote the run's rows (V17).
   */
  public record Stored(
      String id,
      long revision,
      long definitionId,
      Instant createdAt,
      RunStatus status,
      String currentStageId,
      Map<String, Object> variables,
      String error,
      Map<String, Object> observed,
      Map<String, Object> evaluations,
      Outcome outcome,
      boolean rejected,
      String lastApproverId) {}

  /** A stored run with its submission and instances. */
  RunRoot(
      Stored run,
      Submission submission,
      List<StageInstance> stages,
      List<StepInstance> steps,
      List<WorkItem> workItems) {
    super(stages, steps, workItems);
    this.id = run.id();
    this.revision = run.revision();
    this.definitionId = run.definitionId();
    this.createdAt = run.createdAt();
    this.status = run.status();
    this.currentStageId = run.currentStageId();
    this.variables = new LinkedHashMap<>(run.variables());
    this.error = run.error();
    this.observed = new LinkedHashMap<>(run.observed());
    this.evaluations = new LinkedHashMap<>(run.evaluations());
    this.outcome = run.outcome();
    this.rejected = run.rejected();
    this.lastApproverId = run.lastApproverId();
    this.submission = submission;
    this.outbox = new RunOutbox(id);
  }

  public String id() {
    return id;
  }

  /**
   * The revision of the run's rows as loaded, or as last written by this unit of work ({@link
   * #markPersisted}); 0 for a new run.
   */
  public long revision() {
    return revision;
  }

  /**
   * Whether a row of the aggregate (the run's own, its submission's, a stage's, a step's or a work
   * item's) is new or changed: writing them sets the run's revision one higher.
   */
  public boolean rowsChanged() {
    return isNew
        || changed
        || submission.isNew()
        || submission.isChanged()
        || instancesChanged()
        || workItems().stream().anyMatch(item -> item.isNew() || item.isChanged());
  }

  /**
   * Whether a stage or step instance is new or changed: the run's document of them ({@code
   * runs.instances}) is written again.
   */
  public boolean instancesChanged() {
    return stages().stream().anyMatch(stage -> stage.isNew() || stage.isChanged())
        || steps().stream().anyMatch(step -> step.isNew() || step.isChanged());
  }

  public long definitionId() {
    return definitionId;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public RunStatus status() {
    return status;
  }

  public Submission submission() {
    return submission;
  }

  public Optional<StageInstance> currentStage() {
    return currentStageId == null ? Optional.empty() : stage(currentStageId);
  }

  public Map<String, Object> variables() {
    return Collections.unmodifiableMap(variables);
  }

  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  /** Values of references at the previous pass, for IS_CHANGED. */
  public Map<String, Object> observed() {
    return Collections.unmodifiableMap(observed);
  }

  /** Per evaluation flow: {answer, evaluatedAt, inputs} of the latest pass that ran it. */
  public Map<String, Object> evaluations() {
    return Collections.unmodifiableMap(evaluations);
  }

  /** APPROVE or REJECT when a transition routed there. */
  public Optional<Outcome> outcome() {
    return Optional.ofNullable(outcome);
  }

  /** Whether any approval step of the run was settled as rejected. */
  public boolean rejected() {
    return rejected;
  }

  public Optional<String> lastApproverId() {
    return Optional.ofNullable(lastApproverId);
  }

  /** The user whose request this unit of work serves; empty when the engine itself acts. */
  public Optional<String> actorId() {
    return Optional.ofNullable(actorId);
  }

  public RunOutbox outbox() {
    return outbox;
  }

  public Notifications notifications() {
    return notifications;
  }

  public boolean isNew() {
    return isNew;
  }

  /** Whether the run's own row ({@code runs}) changed since it was loaded. */
  public boolean isChanged() {
    return changed && !isNew;
  }

  /**
   * When the synchronous steps of this command's evaluation passes must end ({@link
   * System#nanoTime}), once its first pass has set it.
   */
  public Optional<Long> synchronousDeadline() {
    return synchronousDeadlineSet ? Optional.of(synchronousDeadline) : Optional.empty();
  }

  public void startSynchronousBudget(long deadline) {
    if (!synchronousDeadlineSet) {
      synchronousDeadline = deadline;
      synchronousDeadlineSet = true;
    }
  }

  /** The user whose request this unit of work serves (notifications name them). */
  public void actAs(String actorId) {
    this.actorId = actorId;
  }

  /**
   * The repository wrote everything, the run's rows now at {@code revision}: nothing is new or
   * changed, the outbox is empty.
   */
  public void markPersisted(long revision) {
    this.revision = revision;
    isNew = false;
    changed = false;
    submission.markPersisted();
    stages().forEach(StageInstance::markPersisted);
    steps().forEach(StepInstance::markPersisted);
    workItems().forEach(WorkItem::markPersisted);
    outbox.clear();
    notifications.clear();
  }

  // ---- Changes, for RunState's transitions only ----

  void setStatus(RunStatus status, Instant now) {
    this.status = status;
    this.changed = true;
    submission.touch(now);
  }

  void setCurrentStage(String stageInstanceId) {
    this.currentStageId = stageInstanceId;
    this.changed = true;
  }

  void setError(String message) {
    this.error = message;
    this.changed = true;
  }

  void setOutcome(Outcome outcome) {
    this.outcome = outcome;
    this.changed = true;
  }

  void markRejected() {
    this.rejected = true;
    this.changed = true;
  }

  void setObservations(Map<String, Object> observed, Map<String, Object> evaluations) {
    this.observed = new LinkedHashMap<>(observed);
    this.evaluations = new LinkedHashMap<>(evaluations);
    this.changed = true;
  }

  void setLastApprover(String actorId) {
    this.lastApproverId = actorId;
    this.changed = true;
  }

  void putVariable(String name, Object value) {
    variables.put(name, value);
    this.changed = true;
  }

  void markNew() {
    this.isNew = true;
  }

  void setActor(String actorId) {
    this.actorId = actorId;
  }
}

package io.orchestrion.engine.run.model;

import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.run.ExecutionMode;
import io.orchestrion.api.run.StepStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One step of a stage instance (SPEC §3): its status, attempt, resolved flow and run-as user,
 * outputs or error. Part of the {@link RunState} aggregate: changed only by its transitions.
 */
public final class StepInstance {
  private final String id;
  private final String stageInstanceId;
  private final String name;
  private final int stepIndex;
  private final StepKind kind;
  private StepStatus status;
  private int attempt;
  private String flow;
  private Integer flowVersion;
  private ExecutionMode executionMode;
  private String executionReason;
  private String runAsUserId;
  private RunMode runMode;
  private Map<String, Object> outputs;
  private String error;
  private Instant startedAt;
  private Instant endedAt;
  private String discontinuedBy;
  private boolean isNew;
  private boolean changed;

  /** The stored columns of a step instance, as the repository loads them (nullable as stored). */
  public record Stored(
      StepStatus status,
      int attempt,
      String flow,
      Integer flowVersion,
      ExecutionMode executionMode,
      String executionReason,
      String runAsUserId,
      RunMode runMode,
      Map<String, Object> outputs,
      String error,
      Instant startedAt,
      Instant endedAt,
      String discontinuedBy) {}

  /** A stored step instance. */
  public StepInstance(
      String id, String stageInstanceId, String name, int stepIndex, StepKind kind, Stored stored) {
    this(id, stageInstanceId, name, stepIndex, kind);
    this.status = stored.status();
    this.attempt = stored.attempt();
    this.flow = stored.flow();
    this.flowVersion = stored.flowVersion();
    this.executionMode = stored.executionMode();
    this.executionReason = stored.executionReason();
    this.runAsUserId = stored.runAsUserId();
    this.runMode = stored.runMode();
    this.outputs = stored.outputs() == null ? Map.of() : stored.outputs();
    this.error = stored.error();
    this.startedAt = stored.startedAt();
    this.endedAt = stored.endedAt();
    this.discontinuedBy = stored.discontinuedBy();
  }

  private StepInstance(
      String id, String stageInstanceId, String name, int stepIndex, StepKind kind) {
    this.id = id;
    this.stageInstanceId = stageInstanceId;
    this.name = name;
    this.stepIndex = stepIndex;
    this.kind = kind;
    this.status = StepStatus.NOT_STARTED;
    this.outputs = Map.of();
  }

  static StepInstance created(String stageInstanceId, String name, int stepIndex, StepKind kind) {
    StepInstance step = new StepInstance(Ids.next(), stageInstanceId, name, stepIndex, kind);
    step.isNew = true;
    return step;
  }

  public String id() {
    return id;
  }

  public String stageInstanceId() {
    return stageInstanceId;
  }

  public String name() {
    return name;
  }

  public int stepIndex() {
    return stepIndex;
  }

  public StepKind kind() {
    return kind;
  }

  public StepStatus status() {
    return status;
  }

  public int attempt() {
    return attempt;
  }

  /** The flow a background step runs, once resolved. */
  public Optional<String> flow() {
    return Optional.ofNullable(flow);
  }

  public Optional<Integer> flowVersion() {
    return Optional.ofNullable(flowVersion);
  }

  public Optional<ExecutionMode> executionMode() {
    return Optional.ofNullable(executionMode);
  }

  public Optional<String> executionReason() {
    return Optional.ofNullable(executionReason);
  }

  public Optional<String> runAsUserId() {
    return Optional.ofNullable(runAsUserId);
  }

  public Optional<RunMode> runMode() {
    return Optional.ofNullable(runMode);
  }

  public Map<String, Object> outputs() {
    return outputs;
  }

  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  public Optional<Instant> startedAt() {
    return Optional.ofNullable(startedAt);
  }

  public Optional<Instant> endedAt() {
    return Optional.ofNullable(endedAt);
  }

  /** The failed step that discontinued this one (SPEC §3.3: retry restarts it). */
  public Optional<String> discontinuedBy() {
    return Optional.ofNullable(discontinuedBy);
  }

  public boolean isOpen() {
    return status == StepStatus.NOT_STARTED || status == StepStatus.IN_PROGRESS;
  }

  public boolean isNew() {
    return isNew;
  }

  public boolean isChanged() {
    return changed && !isNew;
  }

  /** A new attempt: IN_PROGRESS from now; a restarted step forgets its last result. */
  void start(Instant now) {
    attempt++;
    error = null;
    discontinuedBy = null;
    outputs = Map.of();
    setStatus(StepStatus.IN_PROGRESS, now);
  }

  void end(StepStatus status, Instant now) {
    setStatus(status, now);
  }

  void complete(Map<String, Object> outputs, Instant now) {
    this.outputs = new LinkedHashMap<>(outputs);
    this.error = null;
    setStatus(StepStatus.COMPLETED, now);
  }

  void fail(String message, Instant now) {
    this.error = message;
    setStatus(StepStatus.ERROR, now);
  }

  void discontinuedBy(String failedStepId) {
    this.discontinuedBy = failedStepId;
    this.changed = true;
  }

  void resolveFlow(String apiName, int version) {
    this.flow = apiName;
    this.flowVersion = version;
    this.changed = true;
  }

  void runAs(String userId, RunMode mode) {
    this.runAsUserId = userId;
    this.runMode = mode;
    this.changed = true;
  }

  void classify(ExecutionMode mode, String reason) {
    this.executionMode = mode;
    this.executionReason = reason;
    this.changed = true;
  }

  void explain(String reason) {
    this.executionReason = reason;
    this.changed = true;
  }

  private void setStatus(StepStatus status, Instant now) {
    this.status = status;
    this.changed = true;
    if (status == StepStatus.IN_PROGRESS) {
      this.startedAt = now;
      this.endedAt = null;
    } else if (status != StepStatus.NOT_STARTED) {
      this.endedAt = now;
    }
  }

  void markPersisted() {
    isNew = false;
    changed = false;
  }
}

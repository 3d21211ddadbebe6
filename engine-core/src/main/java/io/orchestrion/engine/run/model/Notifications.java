package io.orchestrion.engine.run.model;

import io.orchestrion.api.run.EventKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle notifications (SPEC §4) of one run's unit of work, in the order the changes
 * happened. The transitions of {@link RunState} add one each; the repository's flush writes them
 * with the run's other new events in one multi-row INSERT, in the transaction of the change, and
 * clears them. Notifications only inform: they never make a run evaluate.
 */
public final class Notifications {
  private final RunRoot run;
  private final List<Notification> pending = new ArrayList<>();

  Notifications(RunRoot run) {
    this.run = run;
  }

  /** One notification to write; empty where the kind has no stage or step. */
  public record Notification(
      String eventId,
      EventKind kind,
      Optional<String> stageName,
      Optional<String> stepInstanceId,
      Optional<String> stepName,
      Optional<String> actorId,
      Map<String, Object> payload,
      Instant at) {}

  /**
   * A change of the run or submission, reported with the run's current stage, or the last stage it
   * was in once it has ended (none before its first stage).
   */
  public void ofRun(EventKind kind, Map<String, Object> payload, Instant at) {
    List<StageInstance> stages = run.stages();
    Optional<String> stage =
        run.currentStage()
            .or(() -> stages.isEmpty() ? Optional.empty() : Optional.of(stages.getLast()))
            .map(StageInstance::name);
    add(kind, stage, Optional.empty(), Optional.empty(), payload, at);
  }

  void ofStage(EventKind kind, StageInstance stage, Instant at) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("stageInstanceId", stage.id());
    payload.put("entryNumber", stage.entryNumber());
    payload.put("status", stage.status().name());
    add(kind, Optional.of(stage.name()), Optional.empty(), Optional.empty(), payload, at);
  }

  void ofStep(EventKind kind, StepInstance step, Map<String, Object> payload, Instant at) {
    add(
        kind,
        run.stageName(step.stageInstanceId()),
        Optional.of(step.id()),
        Optional.of(step.name()),
        payload,
        at);
  }

  /** A work item change; the payload starts with the item's id, status and assignee. */
  public void ofWorkItem(EventKind kind, WorkItem item, Map<String, Object> extra, Instant at) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("workItemId", item.id());
    payload.put("status", item.status().name());
    payload.put("assigneeType", item.assignee().type().name());
    payload.put("assigneeId", item.assignee().id());
    payload.putAll(extra);
    Optional<String> stage =
        run.step(item.stepInstanceId()).flatMap(s -> run.stageName(s.stageInstanceId()));
    add(kind, stage, Optional.of(item.stepInstanceId()), Optional.of(item.stepName()), payload, at);
  }

  /** A payload from alternating names and values; values may be null. */
  public static Map<String, Object> fields(Object... namesAndValues) {
    Map<String, Object> payload = new LinkedHashMap<>();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      payload.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return payload;
  }

  private void add(
      EventKind kind,
      Optional<String> stageName,
      Optional<String> stepInstanceId,
      Optional<String> stepName,
      Map<String, Object> payload,
      Instant at) {
    pending.add(
        new Notification(
            Ids.next(),
            kind,
            stageName,
            stepInstanceId,
            stepName,
            run.actorId(),
            new LinkedHashMap<>(payload),
            at));
  }

  public List<Notification> pending() {
    return List.copyOf(pending);
  }

  public boolean isEmpty() {
    return pending.isEmpty();
  }

  void clear() {
    pending.clear();
  }
}

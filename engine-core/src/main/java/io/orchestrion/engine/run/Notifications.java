package io.orchestrion.engine.run;

import io.orchestrion.api.run.EventKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle notifications (SPEC §4) of one run's unit of work, in the order the changes
 * happened. The transition points of {@link RunEngine} add one each; {@link RunRepository#flush}
 * writes them with the run's other new events in one multi-row INSERT, in the transaction of the
 * change, and clears them. Notifications only inform: they never make a run evaluate.
 */
final class Notifications {
  private final RunState run;
  private final List<Notification> pending = new ArrayList<>();

  Notifications(RunState run) {
    this.run = run;
  }

  /** One notification to write; nulls where the kind has no stage or step. */
  record Notification(
      String eventId,
      EventKind kind,
      String stageName,
      String stepInstanceId,
      String stepName,
      String actorId,
      Map<String, Object> payload,
      Instant at) {}

  /**
   * A change of the run or submission, reported with the run's current stage, or the last stage it
   * was in once it has ended (none before its first stage).
   */
  void ofRun(EventKind kind, Map<String, Object> payload, Instant at) {
    String stage =
        run.currentStage()
            .map(current -> current.name)
            .orElse(run.stages.isEmpty() ? null : run.stages.get(run.stages.size() - 1).name);
    add(kind, stage, null, null, payload, at);
  }

  void ofStage(EventKind kind, RunState.StageInstance stage, Instant at) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("stageInstanceId", stage.id);
    payload.put("entryNumber", stage.entryNumber);
    payload.put("status", stage.status.name());
    add(kind, stage.name, null, null, payload, at);
  }

  void ofStep(EventKind kind, RunState.StepInstance step, Map<String, Object> payload, Instant at) {
    add(kind, stageName(step.stageInstanceId), step.id, step.name, payload, at);
  }

  /** A work item change; the payload starts with the item's id, status and assignee. */
  void ofWorkItem(EventKind kind, RunState.WorkItem item, Map<String, Object> extra, Instant at) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("workItemId", item.id);
    payload.put("status", item.status.name());
    payload.put("assigneeType", item.assigneeType);
    payload.put("assigneeId", item.assigneeId);
    payload.putAll(extra);
    String stage =
        run.step(item.stepInstanceId).map(s -> stageName(s.stageInstanceId)).orElse(null);
    add(kind, stage, item.stepInstanceId, item.stepName, payload, at);
  }

  /** A payload from alternating names and values; values may be null. */
  static Map<String, Object> fields(Object... namesAndValues) {
    Map<String, Object> payload = new LinkedHashMap<>();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      payload.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return payload;
  }

  String stageName(String stageInstanceId) {
    for (RunState.StageInstance stage : run.stages) {
      if (stage.id.equals(stageInstanceId)) {
        return stage.name;
      }
    }
    return null;
  }

  private void add(
      EventKind kind,
      String stageName,
      String stepInstanceId,
      String stepName,
      Map<String, Object> payload,
      Instant at) {
    pending.add(
        new Notification(
            Ids.next(),
            kind,
            stageName,
            stepInstanceId,
            stepName,
            run.actorId,
            new LinkedHashMap<>(payload),
            at));
  }

  List<Notification> pending() {
    return List.copyOf(pending);
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  void clear() {
    pending.clear();
  }
}

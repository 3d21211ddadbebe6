package io.orchestrion.testkit;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.WorkItemView;
import java.util.List;
import java.util.stream.Collectors;

/** The text failure messages show: what the run looked like, so a failure explains itself. */
final class Describe {
  private Describe() {}

  static String snapshot(RunSnapshot snapshot) {
    RunView run = snapshot.run();
    StringBuilder text = new StringBuilder();
    text.append("run ")
        .append(run.id())
        .append(" (")
        .append(run.orchestration())
        .append(" v")
        .append(run.orchestrationVersion())
        .append(") ")
        .append(run.status());
    run.error().ifPresent(error -> text.append(" error: ").append(error));
    text.append(", submission ")
        .append(snapshot.submission().status())
        .append(", at ")
        .append(snapshot.at());
    for (RunView.Stage stage : run.stages()) {
      text.append("\n  stage ").append(stage.name()).append(' ').append(stage.status());
      for (RunView.Step step : stage.steps()) {
        text.append("\n    ").append(step(step));
      }
    }
    text.append("\n  work items: ").append(workItems(snapshot.workItems()));
    text.append("\n  events:").append(events(snapshot, snapshot.events()));
    return text.toString();
  }

  static String step(RunView.Step step) {
    StringBuilder text =
        new StringBuilder("step ")
            .append(step.name())
            .append(" (")
            .append(step.kind())
            .append(") ")
            .append(step.status());
    step.executionMode().ifPresent(mode -> text.append(", ").append(mode));
    if (!step.outputs().isEmpty()) {
      text.append(", outputs ").append(step.outputs());
    }
    step.error().ifPresent(error -> text.append(", error: ").append(error));
    return text.toString();
  }

  static String workItems(List<WorkItemView> items) {
    if (items.isEmpty()) {
      return "none";
    }
    return items.stream().map(Describe::workItem).collect(Collectors.joining("; "));
  }

  static String workItem(WorkItemView item) {
    StringBuilder text =
        new StringBuilder(item.stepName())
            .append(' ')
            .append(item.status())
            .append(" to ")
            .append(item.assigneeType())
            .append(' ')
            .append(item.assigneeId());
    item.dueAt().ifPresent(due -> text.append(", due ").append(due));
    item.decidedBy().ifPresent(by -> text.append(", decided by ").append(by));
    return text.toString();
  }

  static String events(RunSnapshot snapshot, List<OrchestrationEvent> events) {
    if (events.isEmpty()) {
      return " none";
    }
    return events.stream()
        .map(event -> "\n    " + event(snapshot, event))
        .collect(Collectors.joining());
  }

  /** {@code #7 WORK_ITEM_DECIDED Manager_Approval by bob}: number, kind, what, who. */
  static String event(RunSnapshot snapshot, OrchestrationEvent event) {
    StringBuilder text = new StringBuilder("#").append(event.sequence()).append(' ');
    text.append(event.kind());
    String step = stepName(snapshot, event);
    if (step != null) {
      text.append(' ').append(step);
    } else if (event.kind() == EventKind.STAGE_STARTED
        || event.kind() == EventKind.STAGE_COMPLETED) {
      event.stage().ifPresent(stage -> text.append(' ').append(stage));
    }
    event.stepStatus().ifPresent(status -> text.append(' ').append(status));
    Object decision = event.payload().get("decision");
    if (event.kind() == EventKind.WORK_ITEM_DECIDED && decision != null) {
      text.append(' ').append(decision);
    }
    event.actorId().ifPresent(actor -> text.append(" by ").append(actor));
    return text.toString();
  }

  /** The name of the step the event is about, or null when it is about none. */
  static String stepName(RunSnapshot snapshot, OrchestrationEvent event) {
    if (event.step().isPresent()) {
      return event.step().get();
    }
    return event.stepInstanceId().map(snapshot::stepName).orElse(null);
  }
}

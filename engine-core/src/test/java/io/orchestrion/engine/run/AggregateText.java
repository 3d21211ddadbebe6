package io.orchestrion.engine.run;

import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.WorkItem;
import java.util.List;

/** A run aggregate as text, every stored column of every part: two equal texts, equal runs. */
final class AggregateText {
  private AggregateText() {}

  /** Every stored column of the aggregate, in the aggregate's order. */
  static String of(RunState run) {
    StringBuilder text = new StringBuilder();
    text.append(run.id())
        .append(' ')
        .append(run.revision())
        .append(' ')
        .append(run.status())
        .append(' ')
        .append(run.currentStage().map(StageInstance::id))
        .append(' ')
        .append(run.variables())
        .append('\n');
    var s = run.submission();
    text.append(
        List.of(
            s.id(),
            s.status(),
            s.error(),
            s.comments(),
            s.createdAt(),
            s.updatedAt(),
            s.orchestration(),
            s.orchestrationVersion(),
            s.submitterId(),
            s.recordKey()));
    for (StageInstance stage : run.stages()) {
      text.append('\n')
          .append(
              List.of(
                  stage.id(),
                  stage.name(),
                  stage.stageIndex(),
                  stage.entryNumber(),
                  stage.startedAt(),
                  stage.status(),
                  stage.endedAt()));
    }
    for (StepInstance step : run.steps()) {
      text.append('\n')
          .append(
              List.of(
                  step.id(),
                  step.stageInstanceId(),
                  step.name(),
                  step.stepIndex(),
                  step.kind(),
                  step.status(),
                  step.attempt(),
                  step.flow(),
                  step.flowVersion(),
                  step.executionMode(),
                  step.executionReason(),
                  step.runAsUserId(),
                  step.runMode(),
                  step.outputs(),
                  step.error(),
                  step.startedAt(),
                  step.endedAt(),
                  step.discontinuedBy()));
    }
    for (WorkItem item : run.workItems()) {
      text.append('\n')
          .append(
              List.of(
                  item.id(),
                  item.stepInstanceId(),
                  item.stepName(),
                  item.stepAttempt(),
                  item.approverIndex(),
                  item.chainLevel(),
                  item.dueAt(),
                  item.createdAt(),
                  item.status(),
                  item.assignee(),
                  item.decision(),
                  item.comments(),
                  item.decidedBy(),
                  item.decidedOnBehalfOf(),
                  item.decidedAt(),
                  item.updatedAt()));
    }
    return text.toString();
  }
}

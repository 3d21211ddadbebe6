package io.orchestrion.testkit;

import io.orchestrion.api.run.StageStatus;
import io.orchestrion.engine.api.RunView;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one stage instance of a run; failures show the whole run. */
public final class StageAssert extends AbstractAssert<StageAssert, RunView.Stage> {
  private final RunAssert run;

  StageAssert(RunView.Stage actual, RunAssert run) {
    super(actual, StageAssert.class);
    this.run = run;
  }

  public StageAssert hasStatus(StageStatus expected) {
    if (actual.status() != expected) {
      throw failure(
          "Expected stage '%s' to be %s but it is %s"
              .formatted(actual.name(), expected, actual.status()));
    }
    return this;
  }

  public StageAssert isInProgress() {
    return hasStatus(StageStatus.IN_PROGRESS);
  }

  public StageAssert isCompleted() {
    return hasStatus(StageStatus.COMPLETED);
  }

  /** Step {@code name} of this stage instance. */
  public StepAssert step(String name) {
    RunView.Step step =
        actual.steps().stream()
            .filter(candidate -> candidate.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    failure(
                        "Expected stage '%s' to have a step '%s'".formatted(actual.name(), name)));
    return new StepAssert(step, run);
  }

  /** Back to the run, to go on chaining. */
  public RunAssert run() {
    return run;
  }

  private AssertionError failure(String message) {
    return run.runFailure(message, info.descriptionText());
  }
}

package io.orchestrion.testkit;

import io.orchestrion.api.run.ExecutionMode;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.api.RunView;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one step instance of a run; failures show the whole run. */
public final class StepAssert extends AbstractAssert<StepAssert, RunView.Step> {
  private final RunAssert run;

  StepAssert(RunView.Step actual, RunAssert run) {
    super(actual, StepAssert.class);
    this.run = run;
  }

  public StepAssert hasStatus(StepStatus expected) {
    if (actual.status() != expected) {
      throw failure(
          "Expected step '%s' to be %s but it is %s"
              .formatted(actual.name(), expected, actual.status()));
    }
    return this;
  }

  public StepAssert isNotStarted() {
    return hasStatus(StepStatus.NOT_STARTED);
  }

  public StepAssert isInProgress() {
    return hasStatus(StepStatus.IN_PROGRESS);
  }

  public StepAssert isCompleted() {
    return hasStatus(StepStatus.COMPLETED);
  }

  /** The step is in ERROR with an error message containing {@code text}. */
  public StepAssert hasErrorContaining(String text) {
    hasStatus(StepStatus.ERROR);
    if (actual.error().isEmpty() || !actual.error().get().contains(text)) {
      throw failure(
          "Expected the error of step '%s' to contain \"%s\" but it is %s"
              .formatted(
                  actual.name(), text, actual.error().map(e -> "\"" + e + "\"").orElse("absent")));
    }
    return this;
  }

  /** The step's flow (or decision) returned {@code value} as output {@code name}. */
  public StepAssert hasOutput(String name, Object value) {
    if (!actual.outputs().containsKey(name) || !Objects.equals(actual.outputs().get(name), value)) {
      throw failure(
          "Expected step '%s' to have output %s = %s but its outputs are %s"
              .formatted(actual.name(), name, value, actual.outputs()));
    }
    return this;
  }

  /** The step's flow ran asynchronously (it has an Action, Subflow or Wait element). */
  public StepAssert ranAsynchronously() {
    return hasExecutionMode(ExecutionMode.ASYNC);
  }

  public StepAssert ranSynchronously() {
    return hasExecutionMode(ExecutionMode.SYNC);
  }

  private StepAssert hasExecutionMode(ExecutionMode expected) {
    if (actual.executionMode().orElse(null) != expected) {
      throw failure(
          "Expected step '%s' to run %s but it %s"
              .formatted(
                  actual.name(),
                  expected,
                  actual.executionMode().map(mode -> "ran " + mode).orElse("has no flow")));
    }
    return this;
  }

  /** Back to the run, to go on chaining. */
  public RunAssert run() {
    return run;
  }

  private AssertionError failure(String message) {
    return run.runFailure(message, info.descriptionText());
  }
}

package io.orchestrion.testkit;

import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.WorkItemView;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link RunSnapshot}: the run's and its submission's status, and navigation to its
 * stages, steps, work items and events. Every failure message shows the whole run.
 */
public final class RunAssert extends AbstractAssert<RunAssert, RunSnapshot> {
  RunAssert(RunSnapshot actual) {
    super(actual, RunAssert.class);
  }

  public RunAssert hasStatus(RunStatus expected) {
    isNotNull();
    if (actual.run().status() != expected) {
      fail("Expected the run to be %s but it is %s".formatted(expected, actual.run().status()));
    }
    return this;
  }

  public RunAssert isInProgress() {
    return hasStatus(RunStatus.IN_PROGRESS);
  }

  public RunAssert isCompleted() {
    return hasStatus(RunStatus.COMPLETED);
  }

  public RunAssert hasSubmissionStatus(SubmissionStatus expected) {
    isNotNull();
    if (actual.submission().status() != expected) {
      fail(
          "Expected the submission to be %s but it is %s"
              .formatted(expected, actual.submission().status()));
    }
    return this;
  }

  /** The submission was approved (the run completed with every decision an approval). */
  public RunAssert isApproved() {
    return hasSubmissionStatus(SubmissionStatus.APPROVED);
  }

  public RunAssert isRejected() {
    return hasSubmissionStatus(SubmissionStatus.REJECTED);
  }

  /** The submission is still in progress: nothing decided it yet. */
  public RunAssert isPending() {
    return hasSubmissionStatus(SubmissionStatus.IN_PROGRESS);
  }

  /** The newest instance of stage {@code name}. */
  public StageAssert stage(String name) {
    isNotNull();
    RunView.Stage stage =
        actual
            .stage(name)
            .orElseThrow(
                () -> runFailure("Expected the run to have a stage '%s'".formatted(name), null));
    return new StageAssert(stage, this);
  }

  /** The newest instance of step {@code name}, in whichever stage. */
  public StepAssert step(String name) {
    isNotNull();
    RunView.Step step =
        actual
            .step(name)
            .orElseThrow(
                () -> runFailure("Expected the run to have a step '%s'".formatted(name), null));
    return new StepAssert(step, this);
  }

  /** The newest work item of step {@code stepName}. */
  public WorkItemAssert workItem(String stepName) {
    isNotNull();
    WorkItemView item =
        actual
            .workItem(stepName)
            .orElseThrow(
                () ->
                    failure(
                        "Expected the run to have a work item of step '%s'".formatted(stepName)));
    return new WorkItemAssert(item, this);
  }

  /** No work item is ASSIGNED: nobody is asked to decide anything. */
  public RunAssert hasNoOpenWorkItems() {
    isNotNull();
    List<WorkItemView> open =
        actual.workItems().stream()
            .filter(item -> item.status() == WorkItemStatus.ASSIGNED)
            .toList();
    if (!open.isEmpty()) {
      fail("Expected no ASSIGNED work item but found: " + Describe.workItems(open));
    }
    return this;
  }

  /** The run's orchestration events, in sequence order. */
  public EventsAssert events() {
    isNotNull();
    return new EventsAssert(actual, this);
  }

  /** Fails with {@code message} followed by the run. */
  private void fail(String message) {
    throw runFailure(message, null);
  }

  /** An assertion error: the description given with {@code as(...)}, the message, the run. */
  AssertionError runFailure(String message, String description) {
    String prefix = description == null || description.isEmpty() ? "" : "[" + description + "] ";
    String own = info.descriptionText();
    if (!own.isEmpty()) {
      prefix = "[" + own + "] " + prefix;
    }
    return new AssertionError(prefix + message + "\n" + Describe.snapshot(actual));
  }
}

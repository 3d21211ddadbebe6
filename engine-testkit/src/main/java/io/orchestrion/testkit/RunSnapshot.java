package io.orchestrion.testkit;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A run as it was at one moment: its stages and steps, its submission, its work items (oldest
 * first) and its orchestration events (in sequence order). What {@link RunAssert} checks.
 *
 * @param at the engine's (virtual) time when it was read
 */
public record RunSnapshot(
    RunView run,
    SubmissionView submission,
    List<WorkItemView> workItems,
    List<OrchestrationEvent> events,
    Instant at) {
  public RunSnapshot {
    requireNonNull(run, "run is null");
    requireNonNull(submission, "submission is null");
    workItems = List.copyOf(workItems);
    events = List.copyOf(events);
    requireNonNull(at, "at is null");
  }

  /** The newest instance of the stage named {@code name} (a re-entered stage has several). */
  public Optional<RunView.Stage> stage(String name) {
    return run.stages().stream().filter(stage -> stage.name().equals(name)).reduce((a, b) -> b);
  }

  /** The newest instance of the step named {@code name}, in whichever stage. */
  public Optional<RunView.Step> step(String name) {
    return run.stages().stream()
        .flatMap(stage -> stage.steps().stream())
        .filter(step -> step.name().equals(name))
        .reduce((a, b) -> b);
  }

  /** The name of the step instance {@code stepInstanceId}, or the id if the run has no such. */
  public String stepName(String stepInstanceId) {
    return run.stages().stream()
        .flatMap(stage -> stage.steps().stream())
        .filter(step -> step.id().equals(stepInstanceId))
        .map(RunView.Step::name)
        .findFirst()
        .orElse(stepInstanceId);
  }

  /** The newest work item of the step named {@code stepName}. */
  public Optional<WorkItemView> workItem(String stepName) {
    return workItems.stream().filter(item -> item.stepName().equals(stepName)).reduce((a, b) -> b);
  }

  /** Several lines: the run, its stages and steps, work items and events. */
  @Override
  public String toString() {
    return Describe.snapshot(this);
  }
}

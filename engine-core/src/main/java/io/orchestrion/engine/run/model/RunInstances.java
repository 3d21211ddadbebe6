package io.orchestrion.engine.run.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The instances of a run — stage instances in entry order, step instances in stage entry then
 * definition order, work items in creation order — and the lookups over them. Only {@link
 * RunState}'s transitions add to them.
 */
public abstract sealed class RunInstances permits RunRoot {
  private final List<StageInstance> stages;
  private final List<StepInstance> steps;
  private final List<WorkItem> workItems;

  RunInstances(List<StageInstance> stages, List<StepInstance> steps, List<WorkItem> workItems) {
    this.stages = new ArrayList<>(stages);
    this.steps = new ArrayList<>(steps);
    this.workItems = new ArrayList<>(workItems);
  }

  public List<StageInstance> stages() {
    return Collections.unmodifiableList(stages);
  }

  public List<StepInstance> steps() {
    return Collections.unmodifiableList(steps);
  }

  public List<WorkItem> workItems() {
    return Collections.unmodifiableList(workItems);
  }

  public Optional<StageInstance> stage(String stageInstanceId) {
    return stages.stream().filter(stage -> stage.id().equals(stageInstanceId)).findFirst();
  }

  /** The name of a stage instance of the run. */
  public Optional<String> stageName(String stageInstanceId) {
    return stage(stageInstanceId).map(StageInstance::name);
  }

  public List<StepInstance> stepsOf(StageInstance stage) {
    List<StepInstance> result = new ArrayList<>();
    for (StepInstance step : steps) {
      if (step.stageInstanceId().equals(stage.id())) {
        result.add(step);
      }
    }
    return result;
  }

  /** The latest instance of a step by name (SPEC §5.2: after re-entry, the latest instance). */
  public Optional<StepInstance> latestStep(String name) {
    StepInstance latest = null;
    for (StepInstance step : steps) {
      if (step.name().equals(name)) {
        latest = step;
      }
    }
    return Optional.ofNullable(latest);
  }

  public Optional<StepInstance> step(String stepInstanceId) {
    return steps.stream().filter(step -> step.id().equals(stepInstanceId)).findFirst();
  }

  public StageInstance stageOf(StepInstance step) {
    return stage(step.stageInstanceId())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "step instance "
                        + step.id()
                        + " has no stage instance "
                        + step.stageInstanceId()));
  }

  public Optional<WorkItem> workItem(String workItemId) {
    return workItems.stream().filter(item -> item.id().equals(workItemId)).findFirst();
  }

  void addStage(StageInstance stage) {
    stages.add(stage);
  }

  void addStep(StepInstance step) {
    steps.add(step);
  }

  void addWorkItem(WorkItem item) {
    workItems.add(item);
  }
}

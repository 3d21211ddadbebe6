package io.orchestrion.engine.orchestration;

import io.orchestrion.api.orchestration.ConditionSpec;
import io.orchestrion.api.orchestration.StageDefinition;
import io.orchestrion.api.orchestration.StepDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of a stage's start conditions as a whole: no cycle of steps waiting for each other,
 * and (a warning) no required step the default exit waits for that may never start.
 */
final class StartConditionChecks {
  private StartConditionChecks() {}

  /**
   * Reports each step of a cycle through "waits for" {@code edges} (a step's name to the steps its
   * start condition depends on) once, at its start condition.
   */
  static void checkCycles(
      OrchestrationProblems problems,
      String stagePath,
      StageDefinition stage,
      Map<String, Set<String>> edges) {
    // Depth-first search for a cycle through "waits for" edges; each step in a cycle is reported.
    Set<String> reported = new HashSet<>();
    for (String start : edges.keySet()) {
      List<String> path = new ArrayList<>();
      findCycle(start, edges, path, new HashSet<>())
          .ifPresent(
              cycle -> {
                for (String member : cycle) {
                  if (reported.add(member)) {
                    int index = stage.steps().indexOf(stage.step(member).orElseThrow());
                    problems.error(
                        stagePath + ".steps[" + index + "].start",
                        "start conditions form a cycle: %s",
                        String.join(" -> ", cycle) + " -> " + cycle.get(0));
                  }
                }
              });
    }
  }

  /**
   * Warns of each required step that may never start when the stage has the default exit
   * (ALL_STEPS_COMPLETED), which waits for it.
   */
  static void warnOfUnstartedRequiredSteps(
      OrchestrationProblems problems, String stagePath, StageDefinition stage) {
    if (stage.exit().isPresent()) {
      return;
    }
    Set<String> surelyStarted = surelyStartedSteps(stage);
    for (int t = 0; t < stage.steps().size(); t++) {
      StepDefinition step = stage.steps().get(t);
      if (step.required() && !surelyStarted.contains(step.name())) {
        problems.warning(
            stagePath + ".steps[" + t + "].start",
            "required step '%s' may never start, and the default exit (ALL_STEPS_COMPLETED)"
                + " waits for it; mark it \"required\": false if the stage may end without it",
            step.name());
      }
    }
  }

  /**
   * The required steps of a stage that start whenever the stage runs long enough (SPEC §5.4): those
   * started by {@code STAGE_STARTS}, and those started by {@code STEP_COMPLETED} of such a step
   * (the default exit waits for that step to complete, so the chain goes on). A step after a step
   * that is not required, or started by requirements, an evaluation flow or a plugin condition, may
   * stay unstarted.
   */
  private static Set<String> surelyStartedSteps(StageDefinition stage) {
    Set<String> surely = new HashSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (StepDefinition step : stage.steps()) {
        if (!step.required() || surely.contains(step.name())) {
          continue;
        }
        ConditionSpec start = step.effectiveStart();
        boolean starts =
            switch (start.type()) {
              case "STAGE_STARTS" -> true;
              case "STEP_COMPLETED" ->
                  start.config().get("step") instanceof String previous
                      && surely.contains(previous);
              default -> false;
            };
        if (starts) {
          surely.add(step.name());
          grew = true;
        }
      }
    }
    return surely;
  }

  private static Optional<List<String>> findCycle(
      String step, Map<String, Set<String>> edges, List<String> path, Set<String> done) {
    int index = path.indexOf(step);
    if (index >= 0) {
      return Optional.of(List.copyOf(path.subList(index, path.size())));
    }
    if (!done.add(step)) {
      return Optional.empty();
    }
    path.add(step);
    for (String next : edges.getOrDefault(step, Set.of())) {
      if (edges.containsKey(next)) {
        Optional<List<String>> cycle = findCycle(next, edges, path, done);
        if (cycle.isPresent()) {
          return cycle;
        }
      }
    }
    path.remove(path.size() - 1);
    return Optional.empty();
  }
}

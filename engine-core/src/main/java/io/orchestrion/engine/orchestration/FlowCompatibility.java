package io.orchestrion.engine.orchestration;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.Problem;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.orchestration.StageDefinition;
import io.orchestrion.engine.definitions.DefinitionKind;
import io.orchestrion.engine.definitions.DefinitionStore;
import io.orchestrion.engine.definitions.StoredDefinition;
import io.orchestrion.engine.flows.FlowCatalog;
import io.orchestrion.engine.orchestration.OrchestrationCompiler.Purpose;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a change of a flow's active version does to the active orchestrations that use it (SPEC §2):
 * each active orchestration is validated for activation twice, once with the flow's stored active
 * version and once with the candidate, and the problems only the candidate causes are its
 * breakages. Problems an orchestration has anyway (an object type changed since) are not blamed on
 * the flow.
 *
 * <p>Reads through its own transactions: callers ask before they open the one that changes the
 * flow.
 */
public final class FlowCompatibility {
  private static final Pattern STEP_PATH =
      Pattern.compile("^\\$\\.(?:stages\\[(\\d+)]|(recallStage))(?:\\.steps\\[(\\d+)])?");

  /**
   * One problem the candidate would cause in an active orchestration.
   *
   * @param place "step 'Score'" or "stage 'Review'" (exit or routing), or "" for the definition
   * @param problem its path in the orchestration's document and what is wrong
   */
  public record Breakage(String orchestration, int version, String place, Problem problem) {
    public Breakage {
      requireNonNull(orchestration, "orchestration is null");
      requireNonNull(place, "place is null");
      requireNonNull(problem, "problem is null");
    }

    /** "orchestration 'Expense_Approval' version 3, step 'Score'". */
    public String user() {
      return "orchestration '"
          + orchestration
          + "' version "
          + version
          + (place.isEmpty() ? "" : ", " + place);
    }

    /** The problem as reported to whoever changes the flow: its message names where it is. */
    public Problem asProblem() {
      return new Problem(problem.path(), user() + ": " + problem.message());
    }
  }

  private final DefinitionStore store;
  private final OrchestrationCompiler compiler;
  private final OrchestrationCatalog catalog;
  private final FlowCatalog flows;

  @Inject
  public FlowCompatibility(
      DefinitionStore store,
      OrchestrationCompiler compiler,
      OrchestrationCatalog catalog,
      FlowCatalog flows) {
    this.store = requireNonNull(store, "store is null");
    this.compiler = requireNonNull(compiler, "compiler is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.flows = requireNonNull(flows, "flows is null");
  }

  /**
   * The problems the active orchestrations would have if {@code candidate} were the active version
   * of {@code flowApiName} ({@code Optional.empty()}: if it had none), in api name order.
   */
  public List<Breakage> breakages(String flowApiName, Optional<FlowDefinition> candidate) {
    requireNonNull(flowApiName, "flowApiName is null");
    requireNonNull(candidate, "candidate is null");
    // Documents name a flow as a JSON string: a cheap filter before validating.
    String quoted = "\"" + flowApiName + "\"";
    List<Breakage> breakages = new ArrayList<>();
    Optional<FlowDefinition> current = flows.activeDefinition(flowApiName);
    OrchestrationCompiler before = compiler.withActiveFlow(flowApiName, current);
    OrchestrationCompiler after = compiler.withActiveFlow(flowApiName, candidate);
    for (StoredDefinition stored : store.activeVersions(DefinitionKind.ORCHESTRATION)) {
      if (!stored.document().contains(quoted)) {
        continue;
      }
      OrchestrationDefinition definition = catalog.definition(stored);
      List<Problem> problems =
          after.validate(definition, stored.id(), stored.version(), Purpose.ACTIVATE).errors();
      if (problems.isEmpty()) {
        continue;
      }
      Set<Problem> existing =
          new HashSet<>(
              before
                  .validate(definition, stored.id(), stored.version(), Purpose.ACTIVATE)
                  .errors());
      for (Problem problem : problems) {
        if (!existing.contains(problem)) {
          breakages.add(
              new Breakage(
                  stored.apiName(), stored.version(), place(definition, problem.path()), problem));
        }
      }
    }
    return List.copyOf(breakages);
  }

  /** The step or stage a path of {@code definition} points into, for messages. */
  static String place(OrchestrationDefinition definition, String path) {
    Matcher matcher = STEP_PATH.matcher(path);
    if (!matcher.find()) {
      return "";
    }
    Optional<StageDefinition> stage =
        matcher.group(2) != null
            ? definition.recallStage()
            : Optional.of(Integer.parseInt(matcher.group(1)))
                .filter(index -> index < definition.stages().size())
                .map(definition.stages()::get);
    if (stage.isEmpty()) {
      return "";
    }
    if (matcher.group(3) != null) {
      int step = Integer.parseInt(matcher.group(3));
      if (step < stage.get().steps().size()) {
        return "step '" + stage.get().steps().get(step).name() + "'";
      }
    }
    return "stage '" + stage.get().name() + "'";
  }
}

package io.orchestrion.engine.flows;

import io.orchestrion.api.Problem;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.engine.definitions.DefinitionKind;
import io.orchestrion.engine.definitions.DefinitionStore;
import io.orchestrion.flow.FlowAnalysis;
import java.util.ArrayList;
import java.util.List;

/** What refuses a flow at deploy: its api name and the analysis's errors. */
public final class FlowDeployChecks {
  private FlowDeployChecks() {}

  /**
   * Every reason to refuse deploying {@code definition}: its api name and the analysis's errors.
   * Shared by FlowService and the offline validator, so both refuse the same things.
   */
  public static List<Problem> problems(FlowDefinition definition, FlowAnalysis analysis) {
    List<Problem> problems = new ArrayList<>();
    DefinitionStore.apiNameProblem(DefinitionKind.FLOW, definition.apiName())
        .ifPresent(problems::add);
    problems.addAll(analysis.errors());
    return problems;
  }
}

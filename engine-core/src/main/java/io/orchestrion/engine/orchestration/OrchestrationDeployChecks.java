package io.orchestrion.engine.orchestration;

import io.orchestrion.api.Problem;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.orchestration.StageDefinition;
import io.orchestrion.engine.definitions.DefinitionKind;
import io.orchestrion.engine.definitions.DefinitionStore;
import io.orchestrion.engine.persistence.StoredStrings;
import java.util.ArrayList;
import java.util.List;

/** What refuses an orchestration at deploy besides its validation: api name and stored names. */
public final class OrchestrationDeployChecks {
  private OrchestrationDeployChecks() {}

  /**
   * Every reason to refuse deploying {@code definition}: its api name, the validation's errors and
   * names too long to store. Shared by OrchestrationService and the offline validator, so both
   * refuse the same things.
   */
  public static List<Problem> problems(
      OrchestrationDefinition definition, OrchestrationValidation validation) {
    List<Problem> problems = new ArrayList<>();
    DefinitionStore.apiNameProblem(DefinitionKind.ORCHESTRATION, definition.apiName())
        .ifPresent(problems::add);
    problems.addAll(validation.errors());
    storedNames(definition, problems);
    return problems;
  }

  /** Stage and step names are stored with every run (VARCHAR(100)). */
  private static void storedNames(OrchestrationDefinition definition, List<Problem> problems) {
    for (int i = 0; i < definition.stages().size(); i++) {
      storedNames(definition.stages().get(i), "$.stages[" + i + "]", problems);
    }
    definition.recallStage().ifPresent(stage -> storedNames(stage, "$.recallStage", problems));
  }

  private static void storedNames(StageDefinition stage, String path, List<Problem> problems) {
    StoredStrings.check(
        problems, path + ".name", stage.name(), StoredStrings.STAGE_OR_STEP_NAME_LENGTH);
    for (int i = 0; i < stage.steps().size(); i++) {
      StoredStrings.check(
          problems,
          path + ".steps[" + i + "].name",
          stage.steps().get(i).name(),
          StoredStrings.STAGE_OR_STEP_NAME_LENGTH);
    }
  }
}

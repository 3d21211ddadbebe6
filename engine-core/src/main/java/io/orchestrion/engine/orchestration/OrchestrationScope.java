package io.orchestrion.engine.orchestration;

import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.engine.orchestration.OrchestrationCompiler.Lookups;
import io.orchestrion.engine.orchestration.OrchestrationCompiler.Purpose;
import java.util.Map;
import java.util.Optional;

/**
 * What the checks of one orchestration's stages and steps share while it is validated: the problems
 * found so far, its object type (empty when unknown: field checks are skipped), its variables, the
 * types of its references, the path of every step name seen so far (names are unique in an
 * orchestration), why it is compiled and where definitions are looked up.
 */
record OrchestrationScope(
    OrchestrationProblems problems,
    Optional<ObjectTypeDefinition> objectType,
    Map<String, VariableDefinition> variables,
    ReferenceTypes types,
    Map<String, String> stepPaths,
    Purpose purpose,
    Lookups lookups) {}

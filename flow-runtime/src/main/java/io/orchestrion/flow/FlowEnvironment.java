package io.orchestrion.flow;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.spi.ActionDescriptor;
import java.util.Optional;

/**
 * What the analysis of a flow needs to know about the world around it. Implemented by the engine
 * (over its object types, action registry and flow versions) and by tests.
 */
public interface FlowEnvironment {
  Optional<ObjectTypeDefinition> objectType(String apiName);

  Optional<ActionDescriptor> action(String id);

  /** The active version of a flow, used to check Subflow elements against its signature. */
  Optional<FlowDefinition> activeFlow(String apiName);
}

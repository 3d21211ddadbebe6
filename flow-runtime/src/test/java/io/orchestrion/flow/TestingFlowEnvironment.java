package io.orchestrion.flow;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.spi.ActionDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A {@link FlowEnvironment} over maps that tests fill. */
final class TestingFlowEnvironment implements FlowEnvironment {
  private final Map<String, ObjectTypeDefinition> objectTypes = new LinkedHashMap<>();
  private final Map<String, ActionDescriptor> actions = new LinkedHashMap<>();
  private final Map<String, FlowDefinition> flows = new LinkedHashMap<>();

  TestingFlowEnvironment withObjectType(ObjectTypeDefinition type) {
    objectTypes.put(type.apiName(), type);
    return this;
  }

  TestingFlowEnvironment withActions(ActionRegistry registry, String... ids) {
    for (String id : ids) {
      actions.put(id, registry.find(id).orElseThrow().descriptor());
    }
    return this;
  }

  TestingFlowEnvironment withAction(ActionDescriptor descriptor) {
    actions.put(descriptor.id(), descriptor);
    return this;
  }

  TestingFlowEnvironment withActiveFlow(FlowDefinition flow) {
    flows.put(flow.apiName(), flow);
    return this;
  }

  @Override
  public Optional<ObjectTypeDefinition> objectType(String apiName) {
    return Optional.ofNullable(objectTypes.get(apiName));
  }

  @Override
  public Optional<ActionDescriptor> action(String id) {
    return Optional.ofNullable(actions.get(id));
  }

  @Override
  public Optional<FlowDefinition> activeFlow(String apiName) {
    return Optional.ofNullable(flows.get(apiName));
  }
}

package io.orchestrion.flow;

import java.util.Optional;

/** The actions flows can call, by id. Bound by the engine, which loads the plugins. */
public interface ActionRegistry {
  Optional<RegisteredAction> find(String id);
}

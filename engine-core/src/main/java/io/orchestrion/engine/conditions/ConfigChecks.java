package io.orchestrion.engine.conditions;

import io.orchestrion.flow.json.JsonPaths;
import io.orchestrion.spi.ConditionSetup;
import java.util.Set;

final class ConfigChecks {
  private ConfigChecks() {}

  static void onlyProperties(ConditionSetup setup, String type, Set<String> allowed) {
    for (String property : setup.config().keySet()) {
      if (!allowed.contains(property)) {
        // Relative to the condition: "name", or "['odd name']" for one that is no identifier.
        String relative = JsonPaths.property("", property);
        setup.problem(
            relative.startsWith(".") ? relative.substring(1) : relative,
            "unknown property '%s' for condition type %s (allowed: %s)"
                .formatted(property, type, allowed.isEmpty() ? "none" : allowed));
      }
    }
  }
}

package io.orchestrion.engine.conditions;

import io.orchestrion.spi.ConditionSetup;
import java.util.Set;

final class ConfigChecks {
  private ConfigChecks() {}

  static void onlyProperties(ConditionSetup setup, String type, Set<String> allowed) {
    for (String property : setup.config().keySet()) {
      if (!allowed.contains(property)) {
        setup.problem(
            property,
            "unknown property '%s' for condition type %s (allowed: %s)"
                .formatted(property, type, allowed.isEmpty() ? "none" : allowed));
      }
    }
  }
}

package io.orchestrion.spi;

import java.util.Set;

/**
 * A configured condition, ready to evaluate. Implementations must be thread-safe and must not keep
 * state between evaluations; they may be called many times for the same run.
 */
public interface ConditionType {
  ConditionResult evaluate(ConditionContext context);

  /**
   * The steps of the same stage whose state this condition reads, used at deploy time to detect
   * start-condition cycles.
   */
  default Set<String> dependsOnSteps() {
    return Set.of();
  }
}

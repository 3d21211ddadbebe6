package io.orchestrion.flow;

/**
 * Limits of one interview (SPEC §6.4, §11).
 *
 * @param maxExecutedElements executed elements per interview, over all its segments and subflows
 * @param maxSubflowDepth frames on the subflow stack, the launched flow included
 * @param maxInputJsonChars size of the inputs of a step's flow as JSON; checked by the engine,
 *     which has the JSON, and carried here so that all limits are configured in one place
 */
public record FlowLimits(int maxExecutedElements, int maxSubflowDepth, int maxInputJsonChars) {
  public FlowLimits {
    if (maxExecutedElements < 1) {
      throw new IllegalArgumentException(
          "maxExecutedElements must be positive: " + maxExecutedElements);
    }
    if (maxSubflowDepth < 1) {
      throw new IllegalArgumentException("maxSubflowDepth must be positive: " + maxSubflowDepth);
    }
    if (maxInputJsonChars < 1) {
      throw new IllegalArgumentException(
          "maxInputJsonChars must be positive: " + maxInputJsonChars);
    }
  }

  public static FlowLimits defaults() {
    return new FlowLimits(10_000, 10, 32_768);
  }
}

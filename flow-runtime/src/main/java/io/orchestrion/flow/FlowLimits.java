package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Limits of one interview (SPEC §6.4, §11). Each failure names the limit (the component name, e.g.
 * {@code maxExecutedElements}) and the element where it was reached.
 *
 * @param maxExecutedElements executed elements per interview, over all its segments and subflows
 *     (each loop iteration counts the elements it runs)
 * @param maxSubflowDepth frames on the subflow stack, the launched flow included
 * @param maxInputJsonChars size of the inputs of a step's flow as JSON; checked by the engine,
 *     which has the JSON, and carried here so that all limits are configured in one place
 * @param maxCpuTime CPU time of the thread running the interview, over all its segments; checked
 *     every {@value #CPU_CHECK_INTERVAL} elements and when a segment ends
 * @param maxSegmentTime wall-clock time of one segment (SPEC §6.4), time spent in actions included;
 *     checked like the CPU time. A paused interview's next segment starts afresh
 * @param maxTextLength characters of one text value: of a variable, a record field, an item of a
 *     collection, a formula's result and every text built inside a formula
 * @param maxCollectionItems items of one collection: of a variable, a formula's result and every
 *     list built inside a formula
 * @param maxValuesJsonChars size of all values of the interview (every frame of its subflow stack)
 *     as the JSON its stored state holds, approximately, in characters; also the most text one
 *     formula evaluation may build in all
 */
public record FlowLimits(
    int maxExecutedElements,
    int maxSubflowDepth,
    int maxInputJsonChars,
    Duration maxCpuTime,
    Duration maxSegmentTime,
    int maxTextLength,
    int maxCollectionItems,
    int maxValuesJsonChars) {
  /**
   * Elements between two checks of the CPU time. A check reads the CPU clock (about a microsecond)
   * only when the wall time since the segment started cannot rule the limit out.
   */
  public static final int CPU_CHECK_INTERVAL = 1024;

  public static final Duration DEFAULT_MAX_CPU_TIME = Duration.ofSeconds(10);

  public static final Duration DEFAULT_MAX_SEGMENT_TIME = Duration.ofSeconds(60);

  public static final int DEFAULT_MAX_TEXT_LENGTH = 131_072;

  public static final int DEFAULT_MAX_COLLECTION_ITEMS = 10_000;

  public static final int DEFAULT_MAX_VALUES_JSON_CHARS = 8 * 1024 * 1024;

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
    requireNonNull(maxCpuTime, "maxCpuTime is null");
    if (maxCpuTime.isNegative() || maxCpuTime.isZero()) {
      throw new IllegalArgumentException("maxCpuTime must be positive: " + maxCpuTime);
    }
    requireNonNull(maxSegmentTime, "maxSegmentTime is null");
    if (maxSegmentTime.isNegative() || maxSegmentTime.isZero()) {
      throw new IllegalArgumentException("maxSegmentTime must be positive: " + maxSegmentTime);
    }
    if (maxTextLength < 1) {
      throw new IllegalArgumentException("maxTextLength must be positive: " + maxTextLength);
    }
    if (maxCollectionItems < 1) {
      throw new IllegalArgumentException(
          "maxCollectionItems must be positive: " + maxCollectionItems);
    }
    if (maxValuesJsonChars < 1) {
      throw new IllegalArgumentException(
          "maxValuesJsonChars must be positive: " + maxValuesJsonChars);
    }
  }

  /** The limits with the default sizes of values. */
  public FlowLimits(
      int maxExecutedElements,
      int maxSubflowDepth,
      int maxInputJsonChars,
      Duration maxCpuTime,
      Duration maxSegmentTime) {
    this(
        maxExecutedElements,
        maxSubflowDepth,
        maxInputJsonChars,
        maxCpuTime,
        maxSegmentTime,
        DEFAULT_MAX_TEXT_LENGTH,
        DEFAULT_MAX_COLLECTION_ITEMS,
        DEFAULT_MAX_VALUES_JSON_CHARS);
  }

  /** The limits with the default segment time. */
  public FlowLimits(
      int maxExecutedElements, int maxSubflowDepth, int maxInputJsonChars, Duration maxCpuTime) {
    this(
        maxExecutedElements,
        maxSubflowDepth,
        maxInputJsonChars,
        maxCpuTime,
        DEFAULT_MAX_SEGMENT_TIME);
  }

  /** The limits with the default CPU and segment times. */
  public FlowLimits(int maxExecutedElements, int maxSubflowDepth, int maxInputJsonChars) {
    this(maxExecutedElements, maxSubflowDepth, maxInputJsonChars, DEFAULT_MAX_CPU_TIME);
  }

  public static FlowLimits defaults() {
    return new FlowLimits(10_000, 10, 32_768, DEFAULT_MAX_CPU_TIME, DEFAULT_MAX_SEGMENT_TIME);
  }

  public FlowLimits withMaxCpuTime(Duration cpuTime) {
    return new FlowLimits(
        maxExecutedElements,
        maxSubflowDepth,
        maxInputJsonChars,
        cpuTime,
        maxSegmentTime,
        maxTextLength,
        maxCollectionItems,
        maxValuesJsonChars);
  }

  public FlowLimits withMaxSegmentTime(Duration segmentTime) {
    return new FlowLimits(
        maxExecutedElements,
        maxSubflowDepth,
        maxInputJsonChars,
        maxCpuTime,
        segmentTime,
        maxTextLength,
        maxCollectionItems,
        maxValuesJsonChars);
  }

  public FlowLimits withMaxTextLength(int textLength) {
    return new FlowLimits(
        maxExecutedElements,
        maxSubflowDepth,
        maxInputJsonChars,
        maxCpuTime,
        maxSegmentTime,
        textLength,
        maxCollectionItems,
        maxValuesJsonChars);
  }

  public FlowLimits withMaxCollectionItems(int collectionItems) {
    return new FlowLimits(
        maxExecutedElements,
        maxSubflowDepth,
        maxInputJsonChars,
        maxCpuTime,
        maxSegmentTime,
        maxTextLength,
        collectionItems,
        maxValuesJsonChars);
  }

  public FlowLimits withMaxValuesJsonChars(int valuesJsonChars) {
    return new FlowLimits(
        maxExecutedElements,
        maxSubflowDepth,
        maxInputJsonChars,
        maxCpuTime,
        maxSegmentTime,
        maxTextLength,
        maxCollectionItems,
        valuesJsonChars);
  }
}

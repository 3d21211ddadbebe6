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
 *     every {@value #CPU_CHECK_INTERVAL} elements, inside formulas and when a segment ends
 * @param maxSegmentTime wall-clock time of one segment (SPEC §6.4), time spent in actions included;
 *     checked like the CPU time and after every action call. A paused interview's next segment
 *     starts afresh
 * @param maxTextLength characters of one text value: of a variable, a record field, an item of a
 *     collection, a formula's result and every text built inside a formula
 * @param maxCollectionItems items of one collection: of a variable, a formula's result and every
 *     list built inside a formula
 * @param maxValuesJsonChars size of all values of the interview (every frame of its subflow stack)
 *     as the JSON its stored state holds, approximately, in characters; also the most text one
 *     formula evaluation may build in all
 * @param actionTimeout how long one action call may take (SPEC §9, §11); a call that takes longer
 *     is abandoned (its thread interrupted) and faults its element, naming plugin, action and this
 *     limit
 * @param segmentTimeLimitName how a segment that runs past {@code maxSegmentTime} names the limit:
 *     {@code maxSegmentTime}, or the setting that shortened it (the engine's {@code
 *     synchronousTimeBudget} for the synchronous steps of a pass)
 */
public record FlowLimits(
    int maxExecutedElements,
    int maxSubflowDepth,
    int maxInputJsonChars,
    Duration maxCpuTime,
    Duration maxSegmentTime,
    int maxTextLength,
    int maxCollectionItems,
    int maxValuesJsonChars,
    Duration actionTimeout,
    String segmentTimeLimitName) {
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

  public static final Duration DEFAULT_ACTION_TIMEOUT = Duration.ofSeconds(30);

  static final String MAX_SEGMENT_TIME_NAME = "maxSegmentTime";

  public FlowLimits {
    requirePositive("maxExecutedElements", maxExecutedElements);
    requirePositive("maxSubflowDepth", maxSubflowDepth);
    requirePositive("maxInputJsonChars", maxInputJsonChars);
    requirePositive("maxCpuTime", maxCpuTime);
    requirePositive("maxSegmentTime", maxSegmentTime);
    requirePositive("maxTextLength", maxTextLength);
    requirePositive("maxCollectionItems", maxCollectionItems);
    requirePositive("maxValuesJsonChars", maxValuesJsonChars);
    requirePositive("actionTimeout", actionTimeout);
    requireNonNull(segmentTimeLimitName, "segmentTimeLimitName is null");
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  private static void requirePositive(String name, Duration value) {
    requireNonNull(value, name + " is null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  /** The limits with the default sizes of values and action timeout. */
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
        DEFAULT_MAX_VALUES_JSON_CHARS,
        DEFAULT_ACTION_TIMEOUT,
        MAX_SEGMENT_TIME_NAME);
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
    Copy copy = new Copy(this);
    copy.maxCpuTime = cpuTime;
    return copy.build();
  }

  public FlowLimits withMaxSegmentTime(Duration segmentTime) {
    Copy copy = new Copy(this);
    copy.maxSegmentTime = segmentTime;
    copy.segmentTimeLimitName = MAX_SEGMENT_TIME_NAME;
    return copy.build();
  }

  /**
   * A shorter segment time set by another setting, which a segment running past it names: the
   * engine gives the synchronous steps of a pass what remains of its time budget this way.
   */
  public FlowLimits withMaxSegmentTime(Duration segmentTime, String limitName) {
    Copy copy = new Copy(this);
    copy.maxSegmentTime = segmentTime;
    copy.segmentTimeLimitName = limitName;
    return copy.build();
  }

  public FlowLimits withMaxTextLength(int textLength) {
    Copy copy = new Copy(this);
    copy.maxTextLength = textLength;
    return copy.build();
  }

  public FlowLimits withMaxCollectionItems(int collectionItems) {
    Copy copy = new Copy(this);
    copy.maxCollectionItems = collectionItems;
    return copy.build();
  }

  public FlowLimits withMaxValuesJsonChars(int valuesJsonChars) {
    Copy copy = new Copy(this);
    copy.maxValuesJsonChars = valuesJsonChars;
    return copy.build();
  }

  public FlowLimits withActionTimeout(Duration timeout) {
    Copy copy = new Copy(this);
    copy.actionTimeout = timeout;
    return copy.build();
  }

  /** A changeable copy of the limits, so that each {@code with...} method changes one. */
  private static final class Copy {
    private int maxExecutedElements;
    private int maxSubflowDepth;
    private int maxInputJsonChars;
    private Duration maxCpuTime;
    private Duration maxSegmentTime;
    private int maxTextLength;
    private int maxCollectionItems;
    private int maxValuesJsonChars;
    private Duration actionTimeout;
    private String segmentTimeLimitName;

    Copy(FlowLimits limits) {
      maxExecutedElements = limits.maxExecutedElements;
      maxSubflowDepth = limits.maxSubflowDepth;
      maxInputJsonChars = limits.maxInputJsonChars;
      maxCpuTime = limits.maxCpuTime;
      maxSegmentTime = limits.maxSegmentTime;
      maxTextLength = limits.maxTextLength;
      maxCollectionItems = limits.maxCollectionItems;
      maxValuesJsonChars = limits.maxValuesJsonChars;
      actionTimeout = limits.actionTimeout;
      segmentTimeLimitName = limits.segmentTimeLimitName;
    }

    FlowLimits build() {
      return new FlowLimits(
          maxExecutedElements,
          maxSubflowDepth,
          maxInputJsonChars,
          maxCpuTime,
          maxSegmentTime,
          maxTextLength,
          maxCollectionItems,
          maxValuesJsonChars,
          actionTimeout,
          segmentTimeLimitName);
    }
  }
}

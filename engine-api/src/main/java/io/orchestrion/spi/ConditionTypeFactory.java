package io.orchestrion.spi;

/**
 * A condition type (SPEC §5.1), such as {@code STAGE_STARTS} or a plugin's {@code TIME_WINDOW}. The
 * engine calls {@link #create} when a definition using the type is deployed, once per condition,
 * and keeps the returned {@link ConditionType} to evaluate it.
 */
public interface ConditionTypeFactory {
  /** The type id used in definitions, {@code [A-Z][A-Z0-9_]*}. */
  String id();

  /**
   * Validates the configuration and returns the condition to evaluate. Report every problem with
   * {@link ConditionSetup#problem}; when any is reported the returned value is discarded, so it may
   * be a placeholder.
   */
  ConditionType create(ConditionSetup setup);
}

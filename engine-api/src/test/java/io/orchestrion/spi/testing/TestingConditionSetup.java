package io.orchestrion.spi.testing;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.ConditionSetup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ConditionSetup} for tests: holds a configuration, the step and stage it belongs to, and
 * records the problems the factory reports so that a test can assert on them.
 *
 * <pre>{@code
 * TestingConditionSetup setup = TestingConditionSetup.withConfig(Map.of("from", "9am"));
 * factory.create(setup);
 * assertThat(setup.problemProperties()).containsExactly("from", "to");
 * }</pre>
 *
 * <p>The configuration and names are fixed; only the recorded problems change, so one instance
 * serves one {@code create} call. Not thread-safe.
 */
public final class TestingConditionSetup implements ConditionSetup {
  private final Map<String, Object> config;
  private final Optional<String> stepName;
  private final List<String> stageStepNames;
  private final List<String> requiredStepNames;
  private final List<ReportedProblem> problems = new ArrayList<>();

  /**
   * @param config the condition's properties other than {@code type}, as plain JSON values
   *     (strings, numbers, booleans, lists, maps; a {@code null} value stands for JSON null)
   */
  public TestingConditionSetup(
      Map<String, Object> config,
      Optional<String> stepName,
      List<String> stageStepNames,
      List<String> requiredStepNames) {
    // JSON null is a legitimate value in a definition, so Map.copyOf (which rejects nulls) is out.
    this.config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    this.stepName = requireNonNull(stepName, "stepName is null");
    this.stageStepNames = List.copyOf(stageStepNames);
    this.requiredStepNames = List.copyOf(requiredStepNames);
  }

  /** A setup in a stage where every step is required. */
  public TestingConditionSetup(
      Map<String, Object> config, Optional<String> stepName, List<String> stageStepNames) {
    this(config, stepName, stageStepNames, stageStepNames);
  }

  /** A setup for the start condition of a step {@code "Step"} alone in its stage. */
  public static TestingConditionSetup withConfig(Map<String, Object> config) {
    return new TestingConditionSetup(config, Optional.of("Step"), List.of("Step"));
  }

  /** A copy for the start condition of {@code stepName} in a stage of {@code stageStepNames}. */
  public TestingConditionSetup withStep(String stepName, List<String> stageStepNames) {
    return new TestingConditionSetup(config, Optional.of(stepName), stageStepNames);
  }

  /** A copy for the exit condition of a stage of {@code stageStepNames} (no step name). */
  public TestingConditionSetup withStageExit(List<String> stageStepNames) {
    return new TestingConditionSetup(config, Optional.empty(), stageStepNames);
  }

  /** A copy in which only {@code requiredStepNames} are required by the stage's default exit. */
  public TestingConditionSetup withRequiredStepNames(List<String> requiredStepNames) {
    return new TestingConditionSetup(config, stepName, stageStepNames, requiredStepNames);
  }

  @Override
  public Map<String, Object> config() {
    return config;
  }

  @Override
  public Optional<String> stepName() {
    return stepName;
  }

  @Override
  public List<String> stageStepNames() {
    return stageStepNames;
  }

  @Override
  public List<String> requiredStepNames() {
    return requiredStepNames;
  }

  @Override
  public void problem(String property, String message) {
    problems.add(new ReportedProblem(property, message));
  }

  /** The problems reported so far, in the order they were reported. */
  public List<ReportedProblem> problems() {
    return List.copyOf(problems);
  }

  /** The properties of the problems reported so far, in order (with repeats). */
  public List<String> problemProperties() {
    return problems.stream().map(ReportedProblem::property).toList();
  }

  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  /** Throws an {@link AssertionError} listing the reported problems, if there are any. */
  public void assertNoProblems() {
    if (hasProblems()) {
      throw new AssertionError("expected no configuration problems but got " + problems);
    }
  }

  @Override
  public String toString() {
    return "TestingConditionSetup{config="
        + config
        + ", stepName="
        + stepName
        + ", stageStepNames="
        + stageStepNames
        + ", requiredStepNames="
        + requiredStepNames
        + ", problems="
        + problems
        + "}";
  }

  /**
   * A problem reported through {@link ConditionSetup#problem}.
   *
   * @param property the configuration property at fault, or the empty string for the whole
   *     condition
   */
  public record ReportedProblem(String property, String message) {
    public ReportedProblem {
      requireNonNull(property, "property is null");
      requireNonNull(message, "message is null");
    }

    @Override
    public String toString() {
      return (property.isEmpty() ? "<condition>" : property) + ": " + message;
    }
  }
}

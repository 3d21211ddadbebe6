package io.orchestrion.engine.conditions;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.FlowType;
import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.flow.json.JsonPaths;
import io.orchestrion.spi.ConditionContext;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionSetup;
import io.orchestrion.spi.ConditionType;
import io.orchestrion.spi.ConditionTypeFactory;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code EVALUATION_FLOW {flow, inputs, recheckEvery}}: runs the active evaluation flow and is true
 * when its output {@code isOrchestrationConditionMet} is true (SPEC §5.1). With {@code
 * recheckEvery} (an ISO-8601 duration) a false answer is asked again after that long even if no
 * event arrives, so that a gate that turns true on its own does not hang the run.
 */
final class EvaluationFlowCondition implements ConditionType {
  static final String ID = "EVALUATION_FLOW";
  static final Duration MIN_RECHECK = Duration.ofSeconds(1);

  private final String flow;
  private final Map<String, Object> inputs;
  private final Optional<Duration> recheckEvery;

  private EvaluationFlowCondition(
      String flow, Map<String, Object> inputs, Optional<Duration> recheckEvery) {
    this.flow = flow;
    this.inputs = inputs;
    this.recheckEvery = recheckEvery;
  }

  @Override
  public ConditionResult evaluate(ConditionContext context) {
    Map<String, Object> values = new LinkedHashMap<>();
    inputs.forEach((name, spec) -> values.put(name, value(spec, context)));
    boolean met = context.evaluateFlow(flow, values);
    String explanation =
        "evaluation flow '%s' answered %s at %s with inputs %s"
            .formatted(flow, met, context.now(), values);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("flow", flow);
    details.put("answer", met);
    details.put("evaluatedAt", context.now().toString());
    Map<String, Object> shownInputs = new LinkedHashMap<>();
    values.forEach((name, value) -> shownInputs.put(name, value == null ? null : value.toString()));
    details.put("inputs", shownInputs);
    recheckEvery.ifPresent(every -> details.put("recheckEvery", every.toString()));
    if (met) {
      return ConditionResult.met(explanation).withDetails(details);
    }
    return recheckEvery
        .map(every -> ConditionResult.notMetUntil(context.now().plus(every), explanation))
        .orElseGet(() -> ConditionResult.notMet(explanation))
        .withDetails(details);
  }

  private static Object value(Object spec, ConditionContext context) {
    Map<?, ?> map = (Map<?, ?>) spec;
    if (map.get("ref") instanceof String ref) {
      return context.resolve(ref).orElse(null);
    }
    return map.get("value");
  }

  static final class Factory implements ConditionTypeFactory {
    @Override
    public String id() {
      return ID;
    }

    @Override
    public ConditionType create(ConditionSetup setup) {
      ConfigChecks.onlyProperties(setup, ID, Set.of("flow", "inputs", "recheckEvery"));
      Map<String, Object> config = setup.config();
      if (!(config.get("flow") instanceof String flow) || flow.isBlank()) {
        setup.problem("flow", "EVALUATION_FLOW needs 'flow': the api name of an evaluation flow");
        return placeholder();
      }
      Optional<FlowDefinition> definition = setup.activeFlow(flow);
      if (definition.isEmpty()) {
        setup.problem("flow", "evaluation flow '%s' has no active version".formatted(flow));
      } else if (definition.get().type() != FlowType.EVALUATION) {
        setup.problem(
            "flow",
            "flow '%s' is %s; EVALUATION_FLOW runs EVALUATION flows"
                .formatted(flow, definition.get().type()));
      }
      Map<String, Object> inputs = new LinkedHashMap<>();
      Object rawInputs = config.getOrDefault("inputs", Map.of());
      if (!(rawInputs instanceof Map<?, ?> inputMap)) {
        setup.problem("inputs", "'inputs' maps input variable names to {value} or {ref}");
      } else {
        for (Map.Entry<?, ?> entry : inputMap.entrySet()) {
          String name = String.valueOf(entry.getKey());
          // A name that is not a plain identifier goes in brackets: the problem's path must
          // parse back to the key ($.…inputs['a b']).
          String path = JsonPaths.property("inputs", name);
          if (definition.isPresent()
              && definition.get().variable(name).filter(VariableDefinition::input).isEmpty()) {
            setup.problem(path, "flow '%s' has no input variable '%s'".formatted(flow, name));
          }
          if (!(entry.getValue() instanceof Map<?, ?> spec)
              || !(spec.containsKey("value") || spec.get("ref") instanceof String)) {
            setup.problem(path, "an input is {\"value\": ...} or {\"ref\": ...}");
            continue;
          }
          if (spec.get("ref") instanceof String ref && setup.referenceType(ref).isEmpty()) {
            setup.problem(path, "unknown reference '%s'".formatted(ref));
          }
          inputs.put(name, spec);
        }
      }
      Optional<Duration> recheck = Optional.empty();
      if (config.containsKey("recheckEvery")) {
        try {
          Duration every = Duration.parse(String.valueOf(config.get("recheckEvery")));
          if (every.compareTo(MIN_RECHECK) < 0) {
            setup.problem("recheckEvery", "recheckEvery must be at least PT1S");
          }
          recheck = Optional.of(every);
        } catch (DateTimeParseException e) {
          setup.problem(
              "recheckEvery",
              "'%s' is not an ISO-8601 duration such as PT5M"
                  .formatted(config.get("recheckEvery")));
        }
      }
      return new EvaluationFlowCondition(flow, inputs, recheck);
    }

    private static ConditionType placeholder() {
      return context -> ConditionResult.notMet("invalid condition");
    }
  }
}

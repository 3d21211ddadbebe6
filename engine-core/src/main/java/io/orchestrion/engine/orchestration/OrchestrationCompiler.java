package io.orchestrion.engine.orchestration;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.orchestration.StageDefinition;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.orchestration.TransitionDefinition;
import io.orchestrion.engine.calendars.CalendarStore;
import io.orchestrion.engine.flows.FlowCatalog;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.plugins.PluginManager;
import io.orchestrion.engine.records.ObjectTypeStore;
import jakarta.inject.Inject;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Validates orchestration definitions (SPEC §10) and compiles them into {@link
 * CompiledOrchestration}s. Every problem is reported at once, each with its JSON path. This class
 * checks the orchestration as a whole (object type, name, time zone, variables, transition targets,
 * the recall stage); {@link StageCompiler} compiles each stage with the checks per step kind and
 * {@link ConditionCompiler} its conditions.
 *
 * <p>References to flows are checked against their active versions. For a draft deploy a missing or
 * inactive flow is a warning (the flow may be activated later); for activation it is an error (SPEC
 * §2: an orchestration can only be activated when every flow it references is active).
 */
public final class OrchestrationCompiler {
  private final PluginManager plugins;
  private final ObjectTypeStore objectTypes;
  private final FlowCatalog flows;
  private final CalendarStore calendars;
  private final Optional<ActiveFlowOverride> activeFlowOverride;
  private final StageCompiler stageCompiler;

  @Inject
  public OrchestrationCompiler(
      PluginManager plugins,
      ObjectTypeStore objectTypes,
      FlowCatalog flows,
      CalendarStore calendars) {
    this(plugins, objectTypes, flows, calendars, Optional.empty());
  }

  private OrchestrationCompiler(
      PluginManager plugins,
      ObjectTypeStore objectTypes,
      FlowCatalog flows,
      CalendarStore calendars,
      Optional<ActiveFlowOverride> activeFlowOverride) {
    this.plugins = plugins;
    this.objectTypes = objectTypes;
    this.flows = flows;
    this.calendars = calendars;
    this.activeFlowOverride = activeFlowOverride;
    this.stageCompiler = new StageCompiler(new ConditionCompiler(plugins));
  }

  /**
   * A compiler without stored definitions: it validates only with the {@link Lookups} it is given
   * ({@link #validate(OrchestrationDefinition, Purpose, Lookups)}), for the offline validator.
   */
  public static OrchestrationCompiler withoutStore(PluginManager plugins) {
    return new OrchestrationCompiler(plugins, null, null, null, Optional.empty());
  }

  /**
   * A compiler that sees {@code candidate} as the active version of its flow ({@code
   * Optional.empty()} for none) instead of the stored active version: what the active
   * orchestrations would look like after activating or deactivating a flow version (SPEC §2).
   */
  public OrchestrationCompiler withActiveFlow(
      String flowApiName, Optional<FlowDefinition> candidate) {
    return new OrchestrationCompiler(
        plugins,
        objectTypes,
        flows,
        calendars,
        Optional.of(new ActiveFlowOverride(flowApiName, candidate)));
  }

  /** One flow seen with another active version than the stored one. */
  private record ActiveFlowOverride(String apiName, Optional<FlowDefinition> candidate) {}

  private Function<String, Optional<FlowDefinition>> activeFlows(
      Function<String, Optional<FlowDefinition>> stored) {
    return activeFlowOverride
        .<Function<String, Optional<FlowDefinition>>>map(
            override ->
                apiName ->
                    apiName.equals(override.apiName())
                        ? override.candidate()
                        : stored.apply(apiName))
        .orElse(stored);
  }

  public enum Purpose {
    DEPLOY,
    ACTIVATE,
    /** Compiling a stored version to run it: flows are resolved when steps start. */
    RUN
  }

  /**
   * Where compiling looks object types and flows up: in transactions of their own, through a
   * caller's transaction (which must not open a second one, see {@link
   * io.orchestrion.engine.persistence.Database}), or in definitions held in memory (the offline
   * validator, {@link io.orchestrion.engine.validation.DefinitionSetValidator}).
   */
  public record Lookups(
      Function<String, Optional<ObjectTypeDefinition>> objectType,
      Function<String, Optional<FlowDefinition>> activeFlow,
      Predicate<String> flowHasAnyVersion,
      Optional<Predicate<String>> calendarExists) {
    /** Lookups that do not check business calendars (the offline validator has none). */
    public Lookups(
        Function<String, Optional<ObjectTypeDefinition>> objectType,
        Function<String, Optional<FlowDefinition>> activeFlow,
        Predicate<String> flowHasAnyVersion) {
      this(objectType, activeFlow, flowHasAnyVersion, Optional.empty());
    }
  }

  private Lookups ownTransactions() {
    requireStore();
    return new Lookups(
        objectTypes::find,
        activeFlows(flows::activeDefinition),
        flows::hasAnyVersion,
        Optional.of(calendars::exists));
  }

  private Lookups through(Transaction tx) {
    requireStore();
    return new Lookups(
        apiName -> objectTypes.find(tx, apiName),
        activeFlows(apiName -> flows.activeDefinition(tx, apiName)),
        apiName -> flows.hasAnyVersion(tx, apiName),
        Optional.of(name -> calendars.exists(tx, name)));
  }

  private void requireStore() {
    if (objectTypes == null || flows == null) {
      throw new IllegalStateException("this compiler has no store: pass the lookups");
    }
  }

  /**
   * Validates against the object types and flows {@code lookups} finds instead of the stored ones:
   * the deploy-time analysis without a database. The compiler's own plugins provide condition
   * types.
   */
  public OrchestrationValidation validate(
      OrchestrationDefinition definition, Purpose purpose, Lookups lookups) {
    return validate(definition, 0, 1, purpose, lookups);
  }

  /** Validates outside any transaction, reading what it needs in transactions of its own. */
  public OrchestrationValidation validate(
      OrchestrationDefinition definition, long definitionId, int version, Purpose purpose) {
    return validate(definition, definitionId, version, purpose, ownTransactions());
  }

  private OrchestrationValidation validate(
      OrchestrationDefinition definition,
      long definitionId,
      int version,
      Purpose purpose,
      Lookups lookups) {
    OrchestrationProblems problems = new OrchestrationProblems();
    Optional<ObjectTypeDefinition> objectType = lookups.objectType().apply(definition.objectType());
    if (objectType.isEmpty()) {
      problems.error("$.objectType", "unknown object type '%s'", definition.objectType());
    }
    problems.checkName("$.apiName", definition.apiName());
    ZoneId zone = ZoneOffset.UTC;
    if (definition.timeZone().isPresent()) {
      try {
        zone = ZoneId.of(definition.timeZone().get());
      } catch (DateTimeException e) {
        problems.error("$.timeZone", "unknown time zone '%s'", definition.timeZone().get());
      }
    }
    Map<String, VariableDefinition> variables = new LinkedHashMap<>();
    for (int i = 0; i < definition.variables().size(); i++) {
      VariableDefinition variable = definition.variables().get(i);
      problems.checkName("$.variables[" + i + "].name", variable.name());
      if (variables.putIfAbsent(variable.name(), variable) != null) {
        problems.error("$.variables[" + i + "].name", "duplicate variable '%s'", variable.name());
      }
    }
    if (definition.stages().isEmpty()) {
      problems.error("$.stages", "an orchestration needs at least one stage");
    }
    ReferenceTypes types =
        new ReferenceTypes(definition, objectType, variables, lookups.activeFlow());
    OrchestrationScope scope =
        new OrchestrationScope(
            problems, objectType, variables, types, new HashMap<>(), purpose, lookups);
    Set<String> stageNames = new HashSet<>();
    List<CompiledOrchestration.Stage> stages = new ArrayList<>();
    for (int s = 0; s < definition.stages().size(); s++) {
      StageDefinition stage = definition.stages().get(s);
      String stagePath = "$.stages[" + s + "]";
      if (!stageNames.add(stage.name())) {
        problems.error(stagePath + ".name", "duplicate stage '%s'", stage.name());
      }
      stages.add(stageCompiler.compile(scope, stagePath, s, stage, false));
    }
    Set<String> targets = new HashSet<>(stageNames);
    targets.add(TransitionDefinition.APPROVE);
    targets.add(TransitionDefinition.REJECT);
    for (int s = 0; s < definition.stages().size(); s++) {
      List<TransitionDefinition> transitions = definition.stages().get(s).transitions();
      for (int t = 0; t < transitions.size(); t++) {
        if (!targets.contains(transitions.get(t).goTo())) {
          problems.error(
              "$.stages[" + s + "].transitions[" + t + "].goTo",
              "unknown target '%s': a stage name, APPROVE or REJECT",
              transitions.get(t).goTo());
        }
      }
    }
    Optional<CompiledOrchestration.Stage> recall = Optional.empty();
    if (definition.recallStage().isPresent()) {
      StageDefinition stage = definition.recallStage().get();
      recall = Optional.of(stageCompiler.compile(scope, "$.recallStage", -1, stage, true));
      if (!stage.transitions().isEmpty()) {
        problems.error("$.recallStage.transitions", "the recall stage has no routing");
      }
    }
    boolean hasApproval =
        definition.stages().stream()
            .flatMap(stage -> stage.steps().stream())
            .anyMatch(step -> step instanceof StepDefinition.ApprovalStep);
    if (!hasApproval && !definition.stages().isEmpty()) {
      problems.warning(
          "$.stages",
          "the orchestration has no approval steps: every submission that completes is APPROVED");
    }
    Optional<CompiledOrchestration> compiled =
        !problems.hasErrors()
            ? Optional.of(
                new CompiledOrchestration(definitionId, version, definition, zone, stages, recall))
            : Optional.empty();
    return new OrchestrationValidation(problems.errors(), problems.warnings(), compiled);
  }

  /**
   * Compiles a stored version for running, reading through {@code tx}; it was valid when deployed.
   */
  public CompiledOrchestration compileForRun(
      Transaction tx, OrchestrationDefinition definition, long definitionId, int version) {
    OrchestrationValidation validation =
        validate(definition, definitionId, version, Purpose.RUN, through(tx));
    return validation
        .compiled()
        .orElseThrow(
            () ->
                OrchestrionException.invalid(
                    io.orchestrion.api.StandardErrorCode.INVALID_DEFINITION,
                    "Orchestration %s v%d is no longer valid"
                        .formatted(definition.apiName(), version),
                    validation.errors()));
  }
}

package io.orchestrion.engine.orchestration;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.FlowType;
import io.orchestrion.api.flow.Requirement;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.AssigneeSpec;
import io.orchestrion.api.orchestration.ConditionSpec;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.orchestration.RunAsSpec;
import io.orchestrion.api.orchestration.StageDefinition;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.orchestration.TransitionDefinition;
import io.orchestrion.engine.calendars.CalendarStore;
import io.orchestrion.engine.conditions.RequirementSet;
import io.orchestrion.engine.flows.FlowCatalog;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.plugins.PluginCalls;
import io.orchestrion.engine.plugins.PluginManager;
import io.orchestrion.engine.plugins.RegisteredConditionType;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.engine.references.Reference;
import io.orchestrion.flow.json.JsonPaths;
import io.orchestrion.spi.ConditionSetup;
import io.orchestrion.spi.ConditionType;
import jakarta.inject.Inject;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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
import java.util.regex.Pattern;

/**
 * Validates orchestration definitions (SPEC §10) and compiles them into {@link
 * CompiledOrchestration}s. Every problem is reported at once, each with its JSON path.
 *
 * <p>References to flows are checked against their active versions. For a draft deploy a missing or
 * inactive flow is a warning (the flow may be activated later); for activation it is an error (SPEC
 * §2: an orchestration can only be activated when every flow it references is active).
 */
public final class OrchestrationCompiler {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");

  private final PluginManager plugins;
  private final ObjectTypeStore objectTypes;
  private final FlowCatalog flows;
  private final CalendarStore calendars;
  private final Optional<ActiveFlowOverride> activeFlowOverride;

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
    Problems problems = new Problems();
    Optional<ObjectTypeDefinition> objectType = lookups.objectType().apply(definition.objectType());
    if (objectType.isEmpty()) {
      problems.error("$.objectType", "unknown object type '%s'", definition.objectType());
    }
    checkName(problems, "$.apiName", definition.apiName());
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
      checkName(problems, "$.variables[" + i + "].name", variable.name());
      if (variables.putIfAbsent(variable.name(), variable) != null) {
        problems.error("$.variables[" + i + "].name", "duplicate variable '%s'", variable.name());
      }
    }
    if (definition.stages().isEmpty()) {
      problems.error("$.stages", "an orchestration needs at least one stage");
    }
    ReferenceTypes types =
        new ReferenceTypes(definition, objectType, variables, lookups.activeFlow());
    Map<String, String> stepPaths = new HashMap<>();
    Set<String> stageNames = new HashSet<>();
    List<CompiledOrchestration.Stage> stages = new ArrayList<>();
    for (int s = 0; s < definition.stages().size(); s++) {
      StageDefinition stage = definition.stages().get(s);
      String stagePath = "$.stages[" + s + "]";
      if (!stageNames.add(stage.name())) {
        problems.error(stagePath + ".name", "duplicate stage '%s'", stage.name());
      }
      stages.add(
          stage(
              problems,
              stagePath,
              s,
              stage,
              objectType,
              variables,
              types,
              stepPaths,
              purpose,
              lookups,
              false));
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
      recall =
          Optional.of(
              stage(
                  problems,
                  "$.recallStage",
                  -1,
                  stage,
                  objectType,
                  variables,
                  types,
                  stepPaths,
                  purpose,
                  lookups,
                  true));
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
        problems.errors.isEmpty()
            ? Optional.of(
                new CompiledOrchestration(definitionId, version, definition, zone, stages, recall))
            : Optional.empty();
    return new OrchestrationValidation(problems.errors, problems.warnings, compiled);
  }

  private CompiledOrchestration.Stage stage(
      Problems problems,
      String stagePath,
      int index,
      StageDefinition stage,
      Optional<ObjectTypeDefinition> objectType,
      Map<String, VariableDefinition> variables,
      ReferenceTypes types,
      Map<String, String> stepPaths,
      Purpose purpose,
      Lookups lookups,
      boolean recall) {
    checkName(problems, stagePath + ".name", stage.name());
    if (stage.steps().isEmpty()) {
      problems.error(stagePath + ".steps", "stage '%s' has no steps", stage.name());
    }
    List<String> stepNames = stage.steps().stream().map(StepDefinition::name).toList();
    List<String> requiredSteps =
        stage.steps().stream().filter(StepDefinition::required).map(StepDefinition::name).toList();
    List<CompiledOrchestration.Step> steps = new ArrayList<>();
    Map<String, Set<String>> dependencies = new LinkedHashMap<>();
    for (int t = 0; t < stage.steps().size(); t++) {
      StepDefinition step = stage.steps().get(t);
      String stepPath = stagePath + ".steps[" + t + "]";
      checkName(problems, stepPath + ".name", step.name());
      String previous = stepPaths.putIfAbsent(step.name(), stepPath);
      if (previous != null) {
        problems.error(
            stepPath + ".name",
            "duplicate step '%s' (also at %s): step names are unique in an orchestration",
            step.name(),
            previous);
      }
      switch (step) {
        case StepDefinition.BackgroundStep background ->
            checkBackgroundStep(
                problems, stepPath, background, objectType, variables, types, purpose, lookups);
        case StepDefinition.ApprovalStep approval -> {
          if (recall) {
            problems.error(stepPath + ".kind", "the recall stage holds background steps only");
          }
          checkApprovalStep(problems, stepPath, approval, objectType);
          // Compiling a stored version to run it: the calendar is looked up when an item starts.
          problems.errors.addAll(
              EscalationChecks.problems(
                  stepPath,
                  approval,
                  purpose == Purpose.RUN ? Optional.empty() : lookups.calendarExists()));
        }
      }
      PluginCondition start =
          condition(
              problems,
              stepPath + ".start",
              step.effectiveStart(),
              Optional.of(step.name()),
              stepNames,
              requiredSteps,
              types);
      dependencies.put(step.name(), start.condition().dependsOnSteps());
      steps.add(new CompiledOrchestration.Step(t, step, start));
    }
    checkStartCycles(problems, stagePath, stage, dependencies);
    PluginCondition exit =
        condition(
            problems,
            stagePath + ".exit",
            stage.effectiveExit(),
            Optional.empty(),
            stepNames,
            requiredSteps,
            types);
    if (stage.exit().isEmpty()) {
      Set<String> surelyStarted = surelyStartedSteps(stage);
      for (int t = 0; t < stage.steps().size(); t++) {
        StepDefinition step = stage.steps().get(t);
        if (step.required() && !surelyStarted.contains(step.name())) {
          problems.warning(
              stagePath + ".steps[" + t + "].start",
              "required step '%s' may never start, and the default exit (ALL_STEPS_COMPLETED)"
                  + " waits for it; mark it \"required\": false if the stage may end without it",
              step.name());
        }
      }
    }
    List<CompiledOrchestration.Transition> transitions = new ArrayList<>();
    for (int t = 0; t < stage.transitions().size(); t++) {
      TransitionDefinition transition = stage.transitions().get(t);
      String path = stagePath + ".transitions[" + t + "]";
      Optional<RequirementSet> when = Optional.empty();
      if (!transition.when().isEmpty()) {
        when =
            RequirementSet.compile(
                transition.when().stream().map(OrchestrationCompiler::asJson).toList(),
                transition.logic(),
                types::type,
                (property, message) ->
                    problems.error(
                        subPath(path, property.replaceFirst("^requirements", "when")),
                        "%s",
                        message));
      }
      transitions.add(new CompiledOrchestration.Transition(when, transition.goTo()));
    }
    return new CompiledOrchestration.Stage(index, stage, steps, exit, transitions);
  }

  /** A requirement record back to its JSON shape, for {@link RequirementSet#compile}. */
  private static Map<String, Object> asJson(Requirement requirement) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("left", valueJson(requirement.left()));
    json.put("operator", requirement.operator().name());
    json.put("right", valueJson(requirement.right()));
    return json;
  }

  private static Map<String, Object> valueJson(ValueSpec value) {
    Map<String, Object> json = new LinkedHashMap<>();
    switch (value) {
      case ValueSpec.Literal literal -> json.put("value", literal.value());
      case ValueSpec.Reference reference -> json.put("ref", reference.ref());
      case ValueSpec.Formula formula -> json.put("formula", formula.formula());
    }
    return json;
  }

  /** A RECORD_FIELD assignee or run-as names a USER field of the orchestration's object type. */
  private static void checkUserField(
      Problems problems,
      String path,
      String what,
      Optional<String> fieldName,
      Optional<ObjectTypeDefinition> objectType) {
    if (fieldName.isEmpty()) {
      problems.error(path, what + " RECORD_FIELD needs 'field'");
    } else if (objectType.isPresent()) {
      var field = objectType.get().field(fieldName.get());
      if (field.isEmpty() || field.get().type() != DataType.USER) {
        problems.error(
            path, "'%s' is not a USER field of %s", fieldName.get(), objectType.get().apiName());
      }
    }
  }

  private static void checkAssignee(
      Problems problems,
      String at,
      AssigneeSpec assignee,
      Optional<ObjectTypeDefinition> objectType) {
    switch (assignee.type()) {
      case USER -> {
        if (assignee.userId().isEmpty()) {
          problems.error(at + ".userId", "assignee USER needs 'userId'");
        }
      }
      case GROUP -> {
        if (assignee.group().isEmpty()) {
          problems.error(at + ".group", "assignee GROUP needs 'group'");
        }
      }
      case QUEUE -> {
        if (assignee.queue().isEmpty()) {
          problems.error(at + ".queue", "assignee QUEUE needs 'queue'");
        }
      }
      case RECORD_FIELD ->
          checkUserField(problems, at + ".field", "assignee", assignee.field(), objectType);
      case SUBMITTER_MANAGER, MANAGER_CHAIN -> {} // a chain: ApprovalPolicyChecks
      case ASSIGNEE_MANAGER ->
          problems.error(
              at + ".type", "assignee ASSIGNEE_MANAGER is only an escalation rung's 'to'");
    }
  }

  private void checkApprovalStep(
      Problems problems,
      String path,
      StepDefinition.ApprovalStep step,
      Optional<ObjectTypeDefinition> objectType) {
    if (step.assignee().isPresent() == !step.assignees().isEmpty()) {
      problems.error(path, "an approval step needs exactly one of 'assignee' and 'assignees'");
      return;
    }
    ApprovalPolicyChecks.check(path, step, (at, message) -> problems.error(at, "%s", message));
    for (int i = 0; i < step.approvers().size(); i++) {
      checkAssignee(
          problems,
          ApprovalPolicyChecks.approverPath(path, step, i),
          step.approvers().get(i),
          objectType);
    }
    if (step.dueIn().isPresent()) {
      try {
        if (Duration.parse(step.dueIn().get()).isNegative()) {
          problems.error(path + ".dueIn", "dueIn must not be negative");
        }
      } catch (DateTimeParseException e) {
        problems.error(
            path + ".dueIn", "'%s' is not an ISO-8601 duration such as P2D", step.dueIn().get());
      }
    }
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

  private void checkBackgroundStep(
      Problems problems,
      String path,
      StepDefinition.BackgroundStep step,
      Optional<ObjectTypeDefinition> objectType,
      Map<String, VariableDefinition> variables,
      ReferenceTypes types,
      Purpose purpose,
      Lookups lookups) {
    for (Map.Entry<String, ValueSpec> input : step.inputs().entrySet()) {
      checkValue(
          problems,
          JsonPaths.property(path + ".inputs", input.getKey()),
          input.getValue(),
          objectType,
          variables);
    }
    for (Map.Entry<String, String> output : step.outputs().entrySet()) {
      if (!variables.containsKey(output.getValue())) {
        problems.error(
            JsonPaths.property(path + ".outputs", output.getKey()),
            "unknown orchestration variable '%s' (declare it in $.variables)",
            output.getValue());
      }
    }
    RunAsSpec runAs = step.runAs();
    switch (runAs.type()) {
      case USER -> {
        if (runAs.userId().isEmpty()) {
          problems.error(path + ".runAs.userId", "runAs USER needs 'userId'");
        }
      }
      case RECORD_FIELD ->
          checkUserField(problems, path + ".runAs.field", "runAs", runAs.field(), objectType);
      default -> {}
    }
    if (purpose == Purpose.RUN) {
      return;
    }
    Optional<FlowDefinition> flow = lookups.activeFlow().apply(step.flow());
    if (flow.isEmpty()) {
      String message =
          lookups.flowHasAnyVersion().test(step.flow())
              ? "flow '%s' has no active version"
              : "unknown flow '%s'";
      if (purpose == Purpose.ACTIVATE) {
        problems.error(path + ".flow", message, step.flow());
      } else {
        problems.warning(path + ".flow", message + " (needed before activation)", step.flow());
      }
      return;
    }
    if (flow.get().type() != FlowType.AUTOLAUNCHED) {
      problems.error(
          path + ".flow",
          "flow '%s' is %s; background steps launch AUTOLAUNCHED flows",
          step.flow(),
          flow.get().type());
      return;
    }
    for (Map.Entry<String, ValueSpec> input : step.inputs().entrySet()) {
      Optional<VariableDefinition> variable = flow.get().variable(input.getKey());
      if (variable.isEmpty() || !variable.get().input()) {
        problems.error(
            JsonPaths.property(path + ".inputs", input.getKey()),
            "flow '%s' has no input variable '%s'",
            step.flow(),
            input.getKey());
      } else if (input.getValue() instanceof ValueSpec.Reference reference) {
        Optional<DataType> given = types.type(reference.ref());
        if (given.isPresent() && !fits(given.get(), variable.get().type())) {
          problems.error(
              JsonPaths.property(path + ".inputs", input.getKey()),
              "'%s' is %s but input variable '%s' of flow '%s' is %s",
              reference.ref(),
              given.get(),
              input.getKey(),
              step.flow(),
              variable.get().type());
        }
      }
    }
    for (Map.Entry<String, String> output : step.outputs().entrySet()) {
      Optional<VariableDefinition> variable = flow.get().variable(output.getKey());
      if (variable.isEmpty() || !variable.get().output()) {
        problems.error(
            JsonPaths.property(path + ".outputs", output.getKey()),
            "flow '%s' has no output variable '%s'",
            step.flow(),
            output.getKey());
        continue;
      }
      VariableDefinition target = variables.get(output.getValue());
      if (target != null
          && (!fits(variable.get().type(), target.type())
              || variable.get().collection() != target.collection())) {
        problems.error(
            JsonPaths.property(path + ".outputs", output.getKey()),
            "output variable '%s' of flow '%s' is %s but orchestration variable '%s' is %s",
            output.getKey(),
            step.flow(),
            describe(variable.get()),
            target.name(),
            describe(target));
      }
    }
  }

  /**
   * The required steps of a stage that start whenever the stage runs long enough (SPEC §5.4): those
   * started by {@code STAGE_STARTS}, and those started by {@code STEP_COMPLETED} of such a step
   * (the default exit waits for that step to complete, so the chain goes on). A step after a step
   * that is not required, or started by requirements, an evaluation flow or a plugin condition, may
   * stay unstarted.
   */
  private static Set<String> surelyStartedSteps(StageDefinition stage) {
    Set<String> surely = new HashSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (StepDefinition step : stage.steps()) {
        if (!step.required() || surely.contains(step.name())) {
          continue;
        }
        ConditionSpec start = step.effectiveStart();
        boolean starts =
            switch (start.type()) {
              case "STAGE_STARTS" -> true;
              case "STEP_COMPLETED" ->
                  start.config().get("step") instanceof String previous
                      && surely.contains(previous);
              default -> false;
            };
        if (starts) {
          surely.add(step.name());
          grew = true;
        }
      }
    }
    return surely;
  }

  /** Whether a value of type {@code from} converts to {@code to} when a step starts or ends. */
  private static boolean fits(DataType from, DataType to) {
    return from == to
        || (from.isNumeric() && to.isNumeric())
        || (from.isTextual() && to.isTextual())
        || (from == DataType.DATE && to == DataType.DATETIME);
  }

  private static String describe(VariableDefinition variable) {
    return variable.collection() ? "a collection of " + variable.type() : variable.type().name();
  }

  private void checkValue(
      Problems problems,
      String path,
      ValueSpec value,
      Optional<ObjectTypeDefinition> objectType,
      Map<String, VariableDefinition> variables) {
    switch (value) {
      case ValueSpec.Literal literal -> {}
      case ValueSpec.Formula formula ->
          problems.error(path, "formulas are not supported in step inputs yet (issue #3)");
      case ValueSpec.Reference reference -> {
        String ref = reference.ref();
        switch (Reference.parse(ref)) {
          case Reference.RecordField record -> {
            if (objectType.isPresent() && objectType.get().field(record.field()).isEmpty()) {
              problems.error(
                  path,
                  "unknown field '%s' of %s in '%s'",
                  record.field(),
                  objectType.get().apiName(),
                  ref);
            }
          }
          case Reference.SubmissionProperty property -> {
            if (!property.known()) {
              problems.error(
                  path,
                  "unknown submission property '%s' (known: %s)",
                  property.property(),
                  Reference.SUBMISSION_PROPERTIES);
            }
          }
          case Reference.RunId runId -> {
            // the run's id
          }
          default -> {
            if (!variables.containsKey(ref)) {
              problems.error(
                  path,
                  "unknown reference '%s': use $Record.<field>, $Submission.<property>, $Run.id or"
                      + " an orchestration variable",
                  ref);
            }
          }
        }
      }
    }
  }

  private PluginCondition condition(
      Problems problems,
      String path,
      ConditionSpec spec,
      Optional<String> stepName,
      List<String> stageSteps,
      List<String> requiredSteps,
      ReferenceTypes types) {
    Optional<RegisteredConditionType> registered = plugins.conditionType(spec.type());
    if (registered.isEmpty()) {
      problems.error(path + ".type", "unknown condition type '%s'", spec.type());
      return placeholder(spec.type());
    }
    RegisteredConditionType type = registered.get();
    List<Problem> found = new ArrayList<>();
    ConditionSetup setup =
        new ConditionSetup() {
          @Override
          public Map<String, Object> config() {
            return spec.config();
          }

          @Override
          public Optional<String> stepName() {
            return stepName;
          }

          @Override
          public List<String> stageStepNames() {
            return stageSteps;
          }

          @Override
          public List<String> requiredStepNames() {
            return requiredSteps;
          }

          @Override
          public Optional<DataType> referenceType(String reference) {
            return types.type(reference);
          }

          @Override
          public Optional<FlowDefinition> activeFlow(String apiName) {
            return types.activeFlow(apiName);
          }

          @Override
          public void problem(String property, String message) {
            found.add(new Problem(subPath(path, property), message));
          }
        };
    ConditionType condition;
    try {
      condition =
          PluginCalls.call(type.pluginId(), type.classLoader(), () -> type.factory().create(setup));
    } catch (OrchestrionException e) {
      problems.error(path, "%s", e.getMessage());
      return placeholder(spec.type());
    }
    problems.errors.addAll(found);
    if (condition == null) {
      if (found.isEmpty()) {
        problems.error(path, "condition type %s returned no condition", spec.type());
      }
      return placeholder(spec.type());
    }
    return new PluginCondition(spec.type(), type.pluginId(), type.classLoader(), condition);
  }

  private static PluginCondition placeholder(String type) {
    return new PluginCondition(
        type,
        "none",
        OrchestrationCompiler.class.getClassLoader(),
        context -> io.orchestrion.spi.ConditionResult.notMet("invalid condition"));
  }

  private static void checkStartCycles(
      Problems problems, String stagePath, StageDefinition stage, Map<String, Set<String>> edges) {
    // Depth-first search for a cycle through "waits for" edges; each step in a cycle is reported.
    Set<String> reported = new HashSet<>();
    for (String start : edges.keySet()) {
      List<String> path = new ArrayList<>();
      findCycle(start, edges, path, new HashSet<>())
          .ifPresent(
              cycle -> {
                for (String member : cycle) {
                  if (reported.add(member)) {
                    int index = stage.steps().indexOf(stage.step(member).orElseThrow());
                    problems.error(
                        stagePath + ".steps[" + index + "].start",
                        "start conditions form a cycle: %s",
                        String.join(" -> ", cycle) + " -> " + cycle.get(0));
                  }
                }
              });
    }
  }

  private static Optional<List<String>> findCycle(
      String step, Map<String, Set<String>> edges, List<String> path, Set<String> done) {
    int index = path.indexOf(step);
    if (index >= 0) {
      return Optional.of(List.copyOf(path.subList(index, path.size())));
    }
    if (!done.add(step)) {
      return Optional.empty();
    }
    path.add(step);
    for (String next : edges.getOrDefault(step, Set.of())) {
      if (edges.containsKey(next)) {
        Optional<List<String>> cycle = findCycle(next, edges, path, done);
        if (cycle.isPresent()) {
          return cycle;
        }
      }
    }
    path.remove(path.size() - 1);
    return Optional.empty();
  }

  private static void checkName(Problems problems, String path, String name) {
    if (!NAME.matcher(name).matches()) {
      problems.error(
          path, "invalid name '%s': use letters, digits and _, starting with a letter", name);
    }
  }

  private static final class Problems {
    final List<Problem> errors = new ArrayList<>();
    final List<Problem> warnings = new ArrayList<>();

    void error(String path, String format, Object... args) {
      errors.add(new Problem(path, format.formatted(args)));
    }

    void warning(String path, String format, Object... args) {
      warnings.add(new Problem(path, format.formatted(args)));
    }
  }

  /** {@code path} followed by a relative path ({@code a.b}, {@code [0]} or {@code ['a b']}). */
  private static String subPath(String path, String relative) {
    if (relative.isEmpty()) {
      return path;
    }
    return relative.startsWith("[") ? path + relative : path + "." + relative;
  }
}

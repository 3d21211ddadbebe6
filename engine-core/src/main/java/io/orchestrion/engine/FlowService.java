package io.orchestrion.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.engine.api.DefinitionHead;
import io.orchestrion.engine.api.DeployedFlow;
import io.orchestrion.engine.api.Page;
import io.orchestrion.engine.definitions.DefinitionKind;
import io.orchestrion.engine.definitions.DefinitionStore;
import io.orchestrion.engine.definitions.StoredDefinition;
import io.orchestrion.engine.flows.FlowCatalog;
import io.orchestrion.engine.flows.FlowDeployChecks;
import io.orchestrion.engine.orchestration.FlowCompatibility;
import io.orchestrion.engine.orchestration.FlowCompatibility.Breakage;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.run.StepReads;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.flow.FlowAnalysis;
import io.orchestrion.flow.FlowAnalyzer;
import io.orchestrion.flow.json.StoredJsonReader;
import io.orchestrion.security.SecurityContext;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Deploys, lists, activates, deactivates and deletes flow versions (SPEC §2). Every deployed
 * version passed analysis when it was deployed; activation analyses it again against what exists
 * now (object types, actions, active subflows), so that an invalid flow can never be active. The
 * changes taking a {@link SecurityContext} check that the caller may make them ({@link
 * DefinitionAccess}); the others trust their caller.
 */
public final class FlowService {
  private final UnitsOfWork units;
  private final DefinitionStore store;
  private final FlowAnalyzer analyzer;
  private final FlowCatalog catalog;
  private final ObjectMapper mapper;
  private final StoredJsonReader reader;
  private final FlowCompatibility compatibility;
  private final DefinitionAccess access;
  private final StepReads steps;

  @Inject
  public FlowService(
      UnitsOfWork units,
      DefinitionStore store,
      FlowAnalyzer analyzer,
      FlowCatalog catalog,
      ObjectMapper mapper,
      StoredJsonReader reader,
      FlowCompatibility compatibility,
      DefinitionAccess access,
      StepReads steps) {
    this.units = units;
    this.store = store;
    this.analyzer = analyzer;
    this.catalog = catalog;
    this.mapper = mapper;
    this.reader = reader;
    this.compatibility = compatibility;
    this.access = access;
    this.steps = steps;
  }

  /**
   * Like {@link #deploy(FlowDefinition, boolean)}, on {@code caller}'s behalf.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless the caller may deploy definitions
   *     (MANAGE_DEFINITIONS, {@link DefinitionAccess}), before anything else is checked
   */
  public DeployedFlow deploy(SecurityContext caller, FlowDefinition definition, boolean activate) {
    access.requireMayDeploy(caller);
    return deploy(definition, activate);
  }

  /**
   * Like {@link #activate(String, int)}, on {@code caller}'s behalf.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless the caller may activate definitions
   *     (MANAGE_DEFINITIONS), before anything else is checked
   */
  public DeployedFlow activate(SecurityContext caller, String apiName, int version) {
    access.requireMayDeploy(caller);
    return activate(apiName, version);
  }

  /**
   * Like {@link #deactivate(String, int)}, on {@code caller}'s behalf.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless the caller may deactivate definition
   *     versions (MANAGE_DEFINITIONS), before anything else is checked
   */
  public DeployedFlow deactivate(SecurityContext caller, String apiName, int version) {
    access.requireMayRetire(caller);
    return deactivate(apiName, version);
  }

  /**
   * Like {@link #delete(String, int)}, on {@code caller}'s behalf.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless the caller may delete definition versions
   *     (MANAGE_DEFINITIONS), before anything else is checked
   */
  public void delete(SecurityContext caller, String apiName, int version) {
    access.requireMayRetire(caller);
    delete(apiName, version);
  }

  /**
   * Stores a new version (or returns the latest if identical) and activates it if asked.
   *
   * @throws OrchestrionException INVALID_DEFINITION listing every problem with its JSON path
   */
  public DeployedFlow deploy(FlowDefinition definition, boolean activate) {
    FlowAnalysis analysis = analyze(definition);
    if (activate) {
      checkCompatible(definition);
    }
    String document = canonicalJson(mapper, definition);
    String analysisJson = json(analysis);
    StoredDefinition stored =
        units.call(
            uow -> {
              StoredDefinition deployed =
                  store.deploy(
                      uow.transaction(),
                      uow.now(),
                      DefinitionKind.FLOW,
                      definition.apiName(),
                      document,
                      analysisJson);
              return activate
                  ? store.activate(
                      uow.transaction(),
                      uow.now(),
                      DefinitionKind.FLOW,
                      definition.apiName(),
                      deployed.version())
                  : deployed;
            });
    return view(stored);
  }

  /**
   * Makes the version the active one after analysing it again and checking it against every active
   * orchestration that uses the flow (SPEC §2: type, the inputs its steps map, the outputs its
   * conditions and steps read).
   *
   * @throws OrchestrionException INVALID_DEFINITION listing the problems, each naming the
   *     orchestration, its version and the step, NOT_FOUND
   */
  public DeployedFlow activate(String apiName, int version) {
    StoredDefinition stored = find(apiName, version);
    if (stored.isActive()) {
      return view(stored);
    }
    FlowDefinition definition = catalog.definition(stored);
    analyze(definition);
    checkCompatible(definition);
    return view(
        units.call(
            uow ->
                store.activate(
                    uow.transaction(), uow.now(), DefinitionKind.FLOW, apiName, version)));
  }

  /**
   * Leaves the flow without an active version; a version that is not active is returned unchanged.
   * Runs that started the version keep running it.
   *
   * @throws OrchestrionException CONFLICT naming every active orchestration (version and step) that
   *     uses the flow, NOT_FOUND
   */
  public DeployedFlow deactivate(String apiName, int version) {
    StoredDefinition stored = find(apiName, version);
    if (!stored.isActive()) {
      return view(stored);
    }
    List<Breakage> users = compatibility.breakages(apiName, Optional.empty());
    if (!users.isEmpty()) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          stored.describe()
              + " is used by "
              + users.stream().map(Breakage::user).distinct().collect(Collectors.joining("; "))
              + ": deactivate those orchestrations or activate versions that do not use it first",
          users.stream().map(Breakage::asProblem).toList());
    }
    return view(
        units.call(
            uow -> store.deactivate(uow.transaction(), DefinitionKind.FLOW, apiName, version)));
  }

  /**
   * Deletes a version that is not active and that no unfinished step instance (a running or paused
   * interview) runs. Its number is never given out again.
   *
   * @throws OrchestrionException CONFLICT naming what keeps it, NOT_FOUND
   */
  public void delete(String apiName, int version) {
    units.call(
        uow -> {
          store.delete(
              uow.transaction(), DefinitionKind.FLOW, apiName, version, this::runningInterview);
          return null;
        });
  }

  private Optional<String> runningInterview(Transaction tx, StoredDefinition flow)
      throws SQLException {
    return steps.runningInterview(tx, flow.apiName(), flow.version());
  }

  private void checkCompatible(FlowDefinition candidate) {
    List<Breakage> breakages = compatibility.breakages(candidate.apiName(), Optional.of(candidate));
    if (!breakages.isEmpty()) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_DEFINITION,
          "Flow '"
              + candidate.apiName()
              + "' cannot be activated: it does not fit "
              + breakages.stream().map(Breakage::user).distinct().collect(Collectors.joining("; ")),
          breakages.stream().map(Breakage::asProblem).toList());
    }
  }

  /**
   * A page of the deployed flows in api name order, each with its latest and active version.
   *
   * @param cursor the {@code nextCursor} of the previous page
   * @throws OrchestrionException INVALID_REQUEST for a bad cursor or a limit outside 1..500
   */
  public Page<DefinitionHead> list(Optional<String> cursor, int limit) {
    return DefinitionPages.page(store, DefinitionKind.FLOW, cursor, limit);
  }

  public List<DeployedFlow> versions(String apiName) {
    List<StoredDefinition> versions = store.versions(DefinitionKind.FLOW, apiName);
    if (versions.isEmpty()) {
      throw OrchestrionException.notFound("Flow '" + apiName + "'");
    }
    return versions.stream().map(this::view).toList();
  }

  public DeployedFlow version(String apiName, int version) {
    return view(find(apiName, version));
  }

  private StoredDefinition find(String apiName, int version) {
    return store
        .find(DefinitionKind.FLOW, apiName, version)
        .orElseThrow(
            () -> OrchestrionException.notFound("Flow '" + apiName + "' version " + version));
  }

  private FlowAnalysis analyze(FlowDefinition definition) {
    FlowAnalysis analysis = analyzer.analyze(definition, catalog.environment());
    List<Problem> problems = FlowDeployChecks.problems(definition, analysis);
    if (!problems.isEmpty()) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_DEFINITION,
          "Flow '" + definition.apiName() + "' is invalid",
          problems);
    }
    return analysis;
  }

  private DeployedFlow view(StoredDefinition stored) {
    return new DeployedFlow(
        stored.apiName(),
        stored.version(),
        stored.status(),
        catalog.definition(stored),
        reader.read(stored.analysis(), FlowAnalysis.class, "stored flow analysis"),
        stored.createdAt(),
        stored.activatedAt());
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(StandardErrorCode.INTERNAL_ERROR, e.getMessage(), e);
    }
  }

  /**
   * The stored form of a definition: map keys sorted, so that deploying the same definition again
   * yields the same document and checksum (SPEC §2: idempotent deploys).
   */
  static String canonicalJson(ObjectMapper mapper, Object definition) {
    try {
      return mapper
          .writer()
          .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .writeValueAsString(definition);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(StandardErrorCode.INTERNAL_ERROR, e.getMessage(), e);
    }
  }
}

package io.orchestrion.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.engine.definitions.DefinitionKind;
import io.orchestrion.engine.definitions.DefinitionStore;
import io.orchestrion.engine.definitions.StoredDefinition;
import io.orchestrion.engine.flows.FlowCatalog;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.flow.FlowAnalysis;
import io.orchestrion.flow.FlowAnalyzer;
import io.orchestrion.flow.json.StoredJsonReader;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deploys, lists and activates flow versions (SPEC §2). Every deployed version passed analysis when
 * it was deployed; activation analyses it again against what exists now (object types, actions,
 * active subflows), so that an invalid flow can never be active.
 */
public final class FlowService {
  private final Database database;
  private final DefinitionStore store;
  private final FlowAnalyzer analyzer;
  private final FlowCatalog catalog;
  private final ObjectMapper mapper;
  private final StoredJsonReader reader;

  @Inject
  public FlowService(
      Database database,
      DefinitionStore store,
      FlowAnalyzer analyzer,
      FlowCatalog catalog,
      ObjectMapper mapper,
      StoredJsonReader reader) {
    this.database = database;
    this.store = store;
    this.analyzer = analyzer;
    this.catalog = catalog;
    this.mapper = mapper;
    this.reader = reader;
  }

  /**
   * Stores a new version (or returns the latest if identical) and activates it if asked.
   *
   * @throws OrchestrionException INVALID_DEFINITION listing every problem with its JSON path
   */
  public DeployedFlow deploy(FlowDefinition definition, boolean activate) {
    FlowAnalysis analysis = analyze(definition);
    String document = canonicalJson(mapper, definition);
    String analysisJson = json(analysis);
    StoredDefinition stored =
        database.inTransaction(
            tx -> {
              StoredDefinition deployed =
                  store.deploy(
                      tx, DefinitionKind.FLOW, definition.apiName(), document, analysisJson);
              return activate
                  ? store.activate(
                      tx, DefinitionKind.FLOW, definition.apiName(), deployed.version())
                  : deployed;
            });
    return view(stored);
  }

  public DeployedFlow activate(String apiName, int version) {
    StoredDefinition stored = find(apiName, version);
    analyze(catalog.definition(stored));
    return view(store.activate(DefinitionKind.FLOW, apiName, version));
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
    Optional<Problem> apiName =
        DefinitionStore.apiNameProblem(DefinitionKind.FLOW, definition.apiName());
    if (!analysis.valid() || apiName.isPresent()) {
      List<Problem> problems = new ArrayList<>();
      apiName.ifPresent(problems::add);
      problems.addAll(analysis.errors());
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

package io.orchestrion.engine.orchestration;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.engine.definitions.DefinitionKind;
import io.orchestrion.engine.definitions.DefinitionStore;
import io.orchestrion.engine.definitions.StoredDefinition;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.flow.json.StoredJsonReader;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Compiled orchestration versions, cached by definition row (versions never change). */
public final class OrchestrationCatalog {
  private final DefinitionStore store;
  private final OrchestrationCompiler compiler;
  private final StoredJsonReader reader;
  private final ConcurrentMap<Long, CompiledOrchestration> compiled = new ConcurrentHashMap<>();
  // Versions never change and their numbers are never reused (see FlowCatalog).
  private final ConcurrentMap<String, CompiledOrchestration> byVersion = new ConcurrentHashMap<>();

  @Inject
  public OrchestrationCatalog(
      DefinitionStore store, OrchestrationCompiler compiler, StoredJsonReader reader) {
    this.store = store;
    this.compiler = compiler;
    this.reader = reader;
  }

  public Optional<CompiledOrchestration> active(Transaction tx, String apiName) {
    return store
        .active(tx, DefinitionKind.ORCHESTRATION, apiName)
        .map(stored -> compile(tx, stored));
  }

  public CompiledOrchestration version(Transaction tx, String apiName, int version) {
    CompiledOrchestration known = byVersion.get(apiName + "#" + version);
    if (known != null) {
      return known;
    }
    CompiledOrchestration orchestration =
        store
            .find(tx, DefinitionKind.ORCHESTRATION, apiName, version)
            .map(stored -> compile(tx, stored))
            .orElseThrow(
                () ->
                    OrchestrionException.notFound(
                        "Orchestration '" + apiName + "' version " + version));
    byVersion.put(apiName + "#" + version, orchestration);
    return orchestration;
  }

  public OrchestrationDefinition definition(StoredDefinition stored) {
    return reader.read(
        stored.document(),
        OrchestrationDefinition.class,
        "stored orchestration " + stored.apiName());
  }

  /**
   * Compiles on a cache miss, through {@code tx}: compiling looks up the object type. Not inside
   * {@code computeIfAbsent}, which would hold the map's bin lock during that read.
   */
  private CompiledOrchestration compile(Transaction tx, StoredDefinition stored) {
    CompiledOrchestration known = compiled.get(stored.id());
    if (known != null) {
      return known;
    }
    CompiledOrchestration orchestration =
        compiler.compileForRun(tx, definition(stored), stored.id(), stored.version());
    CompiledOrchestration raced = compiled.putIfAbsent(stored.id(), orchestration);
    return raced != null ? raced : orchestration;
  }
}

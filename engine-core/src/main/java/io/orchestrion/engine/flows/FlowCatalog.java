package io.orchestrion.engine.flows;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.engine.definitions.DefinitionKind;
import io.orchestrion.engine.definitions.DefinitionStore;
import io.orchestrion.engine.definitions.StoredDefinition;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.plugins.PluginManager;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.flow.CompiledFlow;
import io.orchestrion.flow.FlowCompiler;
import io.orchestrion.flow.FlowEnvironment;
import io.orchestrion.flow.RegisteredAction;
import io.orchestrion.flow.json.StoredJsonReader;
import io.orchestrion.spi.ActionDescriptor;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Finds flow versions in the definition store and compiles them. Compiled versions are immutable
 * and cached by their definition row; which version is active is always read from the database,
 * because SPEC §2 says a step launches the version active when it starts (on any node).
 */
public final class FlowCatalog {
  private final DefinitionStore store;
  private final FlowCompiler compiler;
  private final StoredJsonReader reader;
  private final ObjectTypeStore objectTypes;
  private final PluginManager plugins;
  private final ConcurrentMap<Long, CompiledFlow> compiled = new ConcurrentHashMap<>();
  // Versions never change and their numbers are never reused: a run asking for the version it
  // started needs no database read after the first time.
  private final ConcurrentMap<String, CompiledFlow> byVersion = new ConcurrentHashMap<>();

  @Inject
  public FlowCatalog(
      DefinitionStore store,
      FlowCompiler compiler,
      StoredJsonReader reader,
      ObjectTypeStore objectTypes,
      PluginManager plugins) {
    this.store = store;
    this.compiler = compiler;
    this.reader = reader;
    this.objectTypes = objectTypes;
    this.plugins = plugins;
  }

  /**
   * What flow analysis may look up: object types, actions and the active flows, each read in a
   * transaction of its own. Not for code inside a transaction: use {@link
   * #environment(Transaction)}.
   */
  public FlowEnvironment environment() {
    return new FlowEnvironment() {
      @Override
      public Optional<ObjectTypeDefinition> objectType(String apiName) {
        return objectTypes.find(apiName);
      }

      @Override
      public Optional<ActionDescriptor> action(String id) {
        return plugins.actions().find(id).map(RegisteredAction::descriptor);
      }

      @Override
      public Optional<FlowDefinition> activeFlow(String apiName) {
        return activeDefinition(apiName);
      }
    };
  }

  /** Like {@link #environment()}, reading through {@code tx}; lives as long as tx. */
  public FlowEnvironment environment(Transaction tx) {
    return new FlowEnvironment() {
      @Override
      public Optional<ObjectTypeDefinition> objectType(String apiName) {
        return objectTypes.find(tx, apiName);
      }

      @Override
      public Optional<ActionDescriptor> action(String id) {
        return plugins.actions().find(id).map(RegisteredAction::descriptor);
      }

      @Override
      public Optional<FlowDefinition> activeFlow(String apiName) {
        return activeDefinition(tx, apiName);
      }
    };
  }

  public Optional<FlowDefinition> activeDefinition(String apiName) {
    return store.active(DefinitionKind.FLOW, apiName).map(this::definition);
  }

  public Optional<FlowDefinition> activeDefinition(Transaction tx, String apiName) {
    return store.active(tx, DefinitionKind.FLOW, apiName).map(this::definition);
  }

  public boolean hasAnyVersion(String apiName) {
    return !store.versions(DefinitionKind.FLOW, apiName).isEmpty();
  }

  public boolean hasAnyVersion(Transaction tx, String apiName) {
    return !store.versions(tx, DefinitionKind.FLOW, apiName).isEmpty();
  }

  /** The active version, compiled; NOT_FOUND naming the flow when there is none. */
  public CompiledFlow active(Transaction tx, String apiName) {
    StoredDefinition stored =
        store
            .active(tx, DefinitionKind.FLOW, apiName)
            .orElseThrow(
                () -> OrchestrionException.notFound("An active version of flow '" + apiName + "'"));
    return compile(tx, stored);
  }

  public CompiledFlow version(Transaction tx, String apiName, int version) {
    CompiledFlow known = byVersion.get(apiName + "#" + version);
    if (known != null) {
      return known;
    }
    StoredDefinition stored =
        store
            .find(tx, DefinitionKind.FLOW, apiName, version)
            .orElseThrow(
                () -> OrchestrionException.notFound("Flow '" + apiName + "' version " + version));
    CompiledFlow flow = compile(tx, stored);
    byVersion.put(apiName + "#" + version, flow);
    return flow;
  }

  public FlowDefinition definition(StoredDefinition stored) {
    return reader.read(stored.document(), FlowDefinition.class, "stored flow " + stored.apiName());
  }

  /**
   * Compiles on a cache miss, through {@code tx}: compiling looks up object types and subflows. Not
   * inside {@code computeIfAbsent}, which would hold the map's bin lock during those reads.
   */
  private CompiledFlow compile(Transaction tx, StoredDefinition stored) {
    CompiledFlow known = compiled.get(stored.id());
    if (known != null) {
      return known;
    }
    CompiledFlow flow = compiler.compile(definition(stored), stored.version(), environment(tx));
    CompiledFlow raced = compiled.putIfAbsent(stored.id(), flow);
    return raced != null ? raced : flow;
  }
}

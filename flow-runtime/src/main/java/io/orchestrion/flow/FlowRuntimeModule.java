package io.orchestrion.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.orchestrion.flow.json.OrchestrionJson;

/**
 * The flow runtime's bindings. The {@link ActionRegistry} is bound by the engine, which loads the
 * plugins; the {@link ObjectMapper} bound here is the one every module uses.
 */
public final class FlowRuntimeModule extends AbstractModule {
  private final FlowLimits limits;

  /** The runtime with the default limits (SPEC §11). */
  public FlowRuntimeModule() {
    this(FlowLimits.defaults());
  }

  public FlowRuntimeModule(FlowLimits limits) {
    this.limits = java.util.Objects.requireNonNull(limits, "limits is null");
  }

  @Override
  protected void configure() {
    bind(FlowParser.class).in(Singleton.class);
    bind(FlowAnalyzer.class).in(Singleton.class);
    bind(FlowCompiler.class).in(Singleton.class);
    bind(FlowInterpreter.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  ObjectMapper objectMapper() {
    return OrchestrionJson.newObjectMapper();
  }

  @Provides
  @Singleton
  FlowLimits flowLimits() {
    return limits;
  }
}

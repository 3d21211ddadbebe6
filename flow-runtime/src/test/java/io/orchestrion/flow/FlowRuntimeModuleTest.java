package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowRuntimeModuleTest {
  @Test
  void bindsTheRuntimeOnceTheEngineProvidesTheActionRegistry() {
    Injector injector =
        Guice.createInjector(
            Stage.PRODUCTION,
            new FlowRuntimeModule(),
            new AbstractModule() {
              @Override
              protected void configure() {
                binder().requireExplicitBindings();
                binder().disableCircularProxies();
                bind(ActionRegistry.class)
                    .toInstance(
                        SimpleActionRegistry.fromPlugins(List.of(new BuiltInActionsPlugin())));
              }
            });

    assertThat(injector.getInstance(FlowInterpreter.class))
        .isSameAs(injector.getInstance(FlowInterpreter.class));
    assertThat(injector.getInstance(ObjectMapper.class))
        .isSameAs(injector.getInstance(ObjectMapper.class));
    assertThat(injector.getInstance(FlowLimits.class)).isEqualTo(FlowLimits.defaults());
    assertThat(injector.getInstance(FlowCompiler.class)).isNotNull();
    assertThat(injector.getInstance(FlowAnalyzer.class)).isNotNull();
  }
}

package io.orchestrion.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.OptionalBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orchestrion.server.api.ApiModule;
import io.orchestrion.server.console.ConsoleAssets;
import io.orchestrion.server.console.ConsoleRoutes;
import io.orchestrion.server.console.DemoSignIn;
import io.orchestrion.server.events.EventDeliveryModule;
import io.orchestrion.server.http.HttpModule;
import io.orchestrion.server.http.HttpSettings;
import io.orchestrion.server.http.JwtTokens;
import io.orchestrion.server.http.MetricsEndpoint;
import io.orchestrion.server.http.MetricsSettings;
import io.orchestrion.server.http.PageRoutes;
import io.orchestrion.server.http.Readiness;
import io.orchestrion.server.http.RequestLog;

/**
 * The server's part of the injector: the HTTP infrastructure and the API. The engine's modules
 * (EngineModule, FlowRuntimeModule) provide the services the handlers call.
 */
public final class ServerModule extends AbstractModule {
  private final ServerConfig config;
  private final JwtTokens tokens;
  private final PrometheusMeterRegistry registry;

  public ServerModule(ServerConfig config, JwtTokens tokens, PrometheusMeterRegistry registry) {
    this.config = requireNonNull(config, "config is null");
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.registry = requireNonNull(registry, "registry is null");
  }

  @Override
  protected void configure() {
    bind(ServerConfig.class).toInstance(config);
    install(
        new HttpModule(
            new HttpSettings(config.host(), config.port(), config.maxBodyBytes()),
            config.requestLimits(),
            tokens));
    bind(Readiness.class).to(EngineReadiness.class).in(Scopes.SINGLETON);
    install(new ApiModule());
    install(new EventDeliveryModule(config.eventDelivery()));
    // The engine records its meters in the server's registry (EngineModule's default is local).
    bind(PrometheusMeterRegistry.class).toInstance(registry);
    OptionalBinder.newOptionalBinder(binder(), MeterRegistry.class)
        .setBinding()
        .toInstance(registry);
    bind(MetricsSettings.class).toInstance(new MetricsSettings(config.metricsRequireToken()));
    bind(MetricsEndpoint.class);
    bind(RequestLog.class);
    bind(ConsoleAssets.class).in(Scopes.SINGLETON);
    bind(DemoSignIn.class).in(Scopes.SINGLETON);
    bind(PageRoutes.class).to(ConsoleRoutes.class);
  }
}

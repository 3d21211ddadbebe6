package io.orchestrion.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import io.orchestrion.server.api.ApiModule;
import io.orchestrion.server.http.HttpModule;
import io.orchestrion.server.http.HttpSettings;
import io.orchestrion.server.http.JwtTokens;
import io.orchestrion.server.http.Readiness;

/**
 * The server's part of the injector: the HTTP infrastructure and the API. The engine's modules
 * (EngineModule, FlowRuntimeModule) provide the services the handlers call.
 */
public final class ServerModule extends AbstractModule {
  private final ServerConfig config;
  private final JwtTokens tokens;

  public ServerModule(ServerConfig config, JwtTokens tokens) {
    this.config = requireNonNull(config, "config is null");
    this.tokens = requireNonNull(tokens, "tokens is null");
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
  }
}

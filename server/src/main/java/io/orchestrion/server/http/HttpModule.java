package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * The HTTP infrastructure: settings, token keys, authentication, JSON bodies, problem responses and
 * the verticle with its request pools. The {@link RouteTable} and the {@link Readiness} checks are
 * bound by the server.
 */
public final class HttpModule extends AbstractModule {
  private final HttpSettings settings;
  private final RequestLimits requestLimits;
  private final JwtTokens tokens;

  public HttpModule(HttpSettings settings, RequestLimits requestLimits, JwtTokens tokens) {
    this.settings = requireNonNull(settings, "settings is null");
    this.requestLimits = requireNonNull(requestLimits, "requestLimits is null");
    this.tokens = requireNonNull(tokens, "tokens is null");
  }

  @Override
  protected void configure() {
    bind(HttpSettings.class).toInstance(settings);
    bind(JwtTokens.class).toInstance(tokens);
    bind(ApiUsers.class).to(DirectoryApiUsers.class);
    bind(DirectoryApiUsers.class).in(Scopes.SINGLETON);
    bind(JsonBodies.class).in(Scopes.SINGLETON);
    bind(ProblemFailureHandler.class).in(Scopes.SINGLETON);
    bind(BearerTokenAuthHandler.class).in(Scopes.SINGLETON);
    bind(RequestLimits.class).toInstance(requestLimits);
    bind(RequestLanes.class).in(Scopes.SINGLETON);
    bind(ReadinessProbe.class).in(Scopes.SINGLETON);
    bind(PublicEndpoints.class).in(Scopes.SINGLETON);
    bind(Permissions.class).in(Scopes.SINGLETON);
    bind(HttpServerVerticle.class);
  }
}

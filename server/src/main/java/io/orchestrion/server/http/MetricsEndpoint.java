package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code GET /metrics}: every meter of the process (HTTP, JVM, connection pool, engine) in the
 * Prometheus text format. Open without a token unless {@link MetricsSettings#requireToken()}.
 */
public final class MetricsEndpoint implements Handler<RoutingContext> {
  public static final String PATH = "/metrics";
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final MetricsSettings settings;

  @Inject
  public MetricsEndpoint(PrometheusMeterRegistry registry, MetricsSettings settings) {
    this.registry = requireNonNull(registry, "registry is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  /**
   * Adds the route, behind {@code authentication} when the settings ask for a token. The token is
   * verified on the event loop; the user lookup and the scrape (which reads the engine's counting
   * gauges from the database) run on the request pool, never on the event loop.
   */
  void addRoute(Router router, BearerTokenAuthHandler authentication, RequestLanes lanes) {
    if (settings.requireToken()) {
      router.get(PATH).handler(authentication.tokenVerifier());
    }
    router.get(PATH).handler(lanes.requests());
    if (settings.requireToken()) {
      router.get(PATH).handler(authentication);
    }
    router.get(PATH).handler(this);
  }

  @Override
  public void handle(RoutingContext context) {
    // Scraping reads the engine's counting gauges from the database: not on an event loop.
    context.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(registry.scrape());
  }
}

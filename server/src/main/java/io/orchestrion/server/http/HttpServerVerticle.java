package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP server, an event-loop verticle. The public endpoints answer on the event loop; an API
 * request has its token verified and its body read there, then continues on a thread of the {@link
 * RequestLanes} (where the handlers call the blocking engine), or is shed with 429. It owns the
 * cross-cutting parts (public endpoints, authentication, body limit, problem responses) and
 * delegates the API's routes to the {@link RouteTable}.
 */
public final class HttpServerVerticle extends VerticleBase {
  public static final String API_PREFIX = "/api/v1";

  private final HttpSettings settings;
  private final RouteTable routes;
  private volatile Router router;
  private final BearerTokenAuthHandler authentication;
  private final ProblemFailureHandler failures;
  private final PublicEndpoints publicEndpoints;
  private final RequestLanes lanes;
  private final MetricsEndpoint metrics;
  private final RequestLog requestLog;
  private volatile HttpServer server;

  @Inject
  public HttpServerVerticle(
      HttpSettings settings,
      RouteTable routes,
      BearerTokenAuthHandler authentication,
      ProblemFailureHandler failures,
      PublicEndpoints publicEndpoints,
      RequestLanes lanes,
      MetricsEndpoint metrics,
      RequestLog requestLog) {
    this.settings = requireNonNull(settings, "settings is null");
    this.routes = requireNonNull(routes, "routes is null");
    this.authentication = requireNonNull(authentication, "authentication is null");
    this.failures = requireNonNull(failures, "failures is null");
    this.publicEndpoints = requireNonNull(publicEndpoints, "publicEndpoints is null");
    this.lanes = requireNonNull(lanes, "lanes is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.requestLog = requireNonNull(requestLog, "requestLog is null");
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    this.router = router;
    router.route().handler(requestLog);
    metrics.addRoute(router, authentication, lanes);
    router.get("/health").handler(publicEndpoints::health);
    router.get("/health/live").handler(publicEndpoints::health);
    router.get("/health/ready").handler(publicEndpoints::ready);
    router.get(API_PREFIX + "/health").handler(publicEndpoints::health);
    router.get("/openapi.yaml").handler(publicEndpoints::openApi);
    for (String schema : PublicEndpoints.schemaFileNames()) {
      router
          .get(PublicEndpoints.SCHEMAS_PATH + schema)
          .handler(context -> publicEndpoints.schema(context, schema));
    }
    router.route(API_PREFIX + "/*").handler(authentication.tokenVerifier());
    // After the token check, so that an anonymous client cannot make the server buffer a body.
    router
        .route(API_PREFIX + "/*")
        .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()));
    // From here on the chain runs on a request thread, or the request is shed (429).
    router.route(API_PREFIX + "/*").handler(lanes.requests());
    router.route(API_PREFIX + "/*").handler(authentication);
    routes.addRoutes(router);
    router.route().failureHandler(failures);
    // Unmatched paths and methods do not reach failure handlers; answer them the same way.
    router.errorHandler(404, failures);
    router.errorHandler(405, failures);
    router.errorHandler(413, failures);
    return vertx
        .createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port()))
        .requestHandler(router)
        .listen()
        .onSuccess(listening -> server = listening);
  }

  /**
   * The routes this verticle serves, as {@code "get /api/v1/flows/{apiName}/versions"}: every route
   * with a method and a path (path parameters written as in OpenAPI), for the test that keeps
   * openapi.yaml true. Empty before the verticle started.
   */
  public List<String> routes() {
    Router current = router;
    if (current == null) {
      return List.of();
    }
    List<String> routes = new ArrayList<>();
    for (Route route : current.getRoutes()) {
      if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
        continue;
      }
      String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      for (HttpMethod method : route.methods()) {
        routes.add(method.name().toLowerCase(Locale.ROOT) + " " + path);
      }
    }
    return List.copyOf(routes);
  }

  /** The bound port (useful when configured with port 0); -1 before the server listens. */
  public int actualPort() {
    HttpServer current = server;
    return current == null ? -1 : current.actualPort();
  }
}

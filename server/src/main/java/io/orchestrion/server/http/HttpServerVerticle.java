package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.inject.Inject;

/**
 * The HTTP server. Deploy it with the virtual-thread threading model: handlers then call the
 * blocking engine directly. It owns the cross-cutting parts (public endpoints, authentication, body
 * limit, problem responses) and delegates the API's routes to the {@link RouteTable}.
 */
public final class HttpServerVerticle extends VerticleBase {
  public static final String API_PREFIX = "/api/v1";

  private final HttpSettings settings;
  private final RouteTable routes;
  private final BearerTokenAuthHandler authentication;
  private final ProblemFailureHandler failures;
  private final PublicEndpoints publicEndpoints;
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
      MetricsEndpoint metrics,
      RequestLog requestLog) {
    this.settings = requireNonNull(settings, "settings is null");
    this.routes = requireNonNull(routes, "routes is null");
    this.authentication = requireNonNull(authentication, "authentication is null");
    this.failures = requireNonNull(failures, "failures is null");
    this.publicEndpoints = requireNonNull(publicEndpoints, "publicEndpoints is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.requestLog = requireNonNull(requestLog, "requestLog is null");
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(requestLog);
    metrics.addRoute(router, authentication);
    router.get("/health").handler(publicEndpoints::health);
    router.get(API_PREFIX + "/health").handler(publicEndpoints::health);
    router.get("/openapi.yaml").handler(publicEndpoints::openApi);
    router.route(API_PREFIX + "/*").handler(authentication);
    // After authentication, so that an anonymous client cannot make the server buffer a body.
    router
        .route(API_PREFIX + "/*")
        .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()));
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

  /** The bound port (useful when configured with port 0); -1 before the server listens. */
  public int actualPort() {
    HttpServer current = server;
    return current == null ? -1 : current.actualPort();
  }
}

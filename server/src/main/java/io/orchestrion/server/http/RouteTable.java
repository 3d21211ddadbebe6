package io.orchestrion.server.http;

import io.vertx.ext.web.Router;

/**
 * Adds the authenticated API routes (paths start with {@link HttpServerVerticle#API_PREFIX}). The
 * verticle has already installed authentication and body handling for that prefix.
 */
@FunctionalInterface
public interface RouteTable {
  void addRoutes(Router router);
}

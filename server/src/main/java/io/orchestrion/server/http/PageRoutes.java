package io.orchestrion.server.http;

import io.vertx.ext.web.Router;

/**
 * Adds the routes of pages served without a token (the web console), outside {@link
 * HttpServerVerticle#API_PREFIX}: they serve files, and the pages call the API with a token.
 */
@FunctionalInterface
public interface PageRoutes {
  void addRoutes(Router router);
}

package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * Requires {@code Authorization: Bearer <token>} with the server's API token; the request then acts
 * as the built-in administrator. Issue #4 replaces this with per-user tokens.
 */
public final class BearerTokenAuthHandler implements Handler<RoutingContext> {
  private static final String SCHEME = "Bearer ";

  private final ApiToken token;

  @Inject
  public BearerTokenAuthHandler(ApiToken token) {
    this.token = requireNonNull(token, "token is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      throw unauthenticated("Missing 'Authorization: Bearer <token>' header");
    }
    if (header.length() < SCHEME.length()
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw unauthenticated("The Authorization header must use the Bearer scheme");
    }
    if (!token.matches(header.substring(SCHEME.length()).trim())) {
      throw unauthenticated("Invalid bearer token");
    }
    new AuthenticatedUser(ApiToken.ADMIN_USER_ID).attachTo(context);
    context.next();
  }

  private static OrchestrionException unauthenticated(String message) {
    return new OrchestrionException(StandardErrorCode.UNAUTHENTICATED, message);
  }
}

package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.vertx.ext.web.RoutingContext;

/** The user a request acts as, set on the routing context by {@link BearerTokenAuthHandler}. */
public record AuthenticatedUser(String userId) {
  private static final String CONTEXT_KEY = AuthenticatedUser.class.getName();

  public AuthenticatedUser {
    requireNonNull(userId, "userId is null");
  }

  void attachTo(RoutingContext context) {
    context.put(CONTEXT_KEY, this);
  }

  /** The authenticated user of a request that passed the authentication handler. */
  public static AuthenticatedUser of(RoutingContext context) {
    AuthenticatedUser user = context.get(CONTEXT_KEY);
    if (user == null) {
      // A route registered outside the authenticated prefix: a bug, not a client error.
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "No authenticated user on "
              + context.request().method()
              + " "
              + context.request().path());
    }
    return user;
  }
}

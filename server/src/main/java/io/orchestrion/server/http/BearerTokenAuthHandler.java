package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.AccessService;
import io.orchestrion.spi.directory.User;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * Requires {@code Authorization: Bearer <JWT>}: a token signed with the server's key, not expired,
 * whose {@code sub} is a user of the directory who may sign in ({@link
 * AccessService#signInRefusal}). The request then acts as that user ({@link AuthenticatedUser}).
 * Anything else is 401.
 */
public final class BearerTokenAuthHandler implements Handler<RoutingContext> {
  private static final String SCHEME = "Bearer ";
  private static final String VERIFIED_USER_ID = BearerTokenAuthHandler.class.getName() + ".sub";

  private final JwtTokens tokens;
  private final ApiUsers users;

  @Inject
  public BearerTokenAuthHandler(JwtTokens tokens, ApiUsers users) {
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.users = requireNonNull(users, "users is null");
  }

  /**
   * Verifies the token on the event loop (a signature check, no I/O), before the body is buffered:
   * an anonymous client cannot make the server read a body. The user is looked up by {@link
   * #handle} on a request thread.
   */
  public Handler<RoutingContext> tokenVerifier() {
    return context -> {
      context.put(VERIFIED_USER_ID, verifiedUserId(context));
      context.next();
    };
  }

  /** Checks the token's user in the directory (blocking: runs on a request thread). */
  @Override
  public void handle(RoutingContext context) {
    String verified = context.get(VERIFIED_USER_ID);
    String userId = verified != null ? verified : verifiedUserId(context);
    User user =
        users
            .find(userId)
            .orElseThrow(
                () -> unauthenticated("the bearer token's user '" + userId + "' does not exist"));
    AccessService.signInRefusal(user)
        .ifPresent(
            refusal -> {
              throw unauthenticated(refusal);
            });
    new AuthenticatedUser(userId).attachTo(context);
    context.next();
  }

  private String verifiedUserId(RoutingContext context) {
    String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      throw unauthenticated("Missing 'Authorization: Bearer <token>' header");
    }
    if (header.length() < SCHEME.length()
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw unauthenticated("The Authorization header must use the Bearer scheme");
    }
    return tokens.verify(header.substring(SCHEME.length()).trim());
  }

  private static OrchestrionException unauthenticated(String message) {
    return new OrchestrionException(StandardErrorCode.UNAUTHENTICATED, message);
  }
}

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
 *
 * <p>One exception: a request for the event stream ({@link #STREAM_PATH}) without an {@code
 * Authorization} header may carry a stream ticket as {@code ?ticket=} ({@link
 * StreamTicketRedeemer}), because a browser's EventSource cannot send headers. Tokens are never
 * accepted in a URL, and tickets nowhere else.
 */
public final class BearerTokenAuthHandler implements Handler<RoutingContext> {
  private static final String SCHEME = "Bearer ";
  private static final String VERIFIED_USER_ID = BearerTokenAuthHandler.class.getName() + ".sub";
  private static final String STREAM_TICKET = BearerTokenAuthHandler.class.getName() + ".ticket";

  /** The event stream's path, the one place a stream ticket is accepted. */
  public static final String STREAM_PATH = HttpServerVerticle.API_PREFIX + "/events/stream";

  private final JwtTokens tokens;
  private final ApiUsers users;
  private final StreamTicketRedeemer tickets;

  @Inject
  public BearerTokenAuthHandler(JwtTokens tokens, ApiUsers users, StreamTicketRedeemer tickets) {
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.users = requireNonNull(users, "users is null");
    this.tickets = requireNonNull(tickets, "tickets is null");
  }

  /**
   * Verifies the token on the event loop (a signature check, no I/O), before the body is buffered:
   * an anonymous client cannot make the server read a body. The user is looked up by {@link
   * #handle} on a request thread.
   */
  public Handler<RoutingContext> tokenVerifier() {
    return context -> {
      String ticket = streamTicket(context);
      if (ticket != null) {
        // Redeemed from the database by handle(), on a request thread.
        context.put(STREAM_TICKET, ticket);
      } else {
        context.put(VERIFIED_USER_ID, verifiedUserId(context));
      }
      context.next();
    };
  }

  /** Checks the token's user in the directory (blocking: runs on a request thread). */
  @Override
  public void handle(RoutingContext context) {
    String verified = context.get(VERIFIED_USER_ID);
    String ticket = context.get(STREAM_TICKET);
    String userId =
        verified != null
            ? verified
            : ticket != null
                ? tickets
                    .redeem(ticket)
                    .orElseThrow(
                        () ->
                            unauthenticated(
                                "The stream ticket is unknown or has expired; get a new one with"
                                    + " POST /api/v1/events/stream-tickets"))
                : verifiedUserId(context);
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

  /** The {@code ticket} of an event stream request that has no Authorization header, or null. */
  private static String streamTicket(RoutingContext context) {
    if (context.request().getHeader(HttpHeaders.AUTHORIZATION) != null
        || !STREAM_PATH.equals(context.request().path())) {
      return null;
    }
    String ticket = context.request().getParam("ticket");
    return ticket == null || ticket.isBlank() ? null : ticket;
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

package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.AccessService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.JwtTokens;
import io.orchestrion.spi.directory.User;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code POST /tokens}: a bearer token for an active user, with a lifetime of at most 24 hours
 * (MANAGE_TOKENS). 409 when this server cannot sign (it only holds an RS256 public key) or the user
 * may not sign in; 404 for an unknown username.
 */
public final class MintTokenHandler implements Handler<RoutingContext> {
  private final JwtTokens tokens;
  private final AccessService access;
  private final JsonBodies json;
  private final Clock clock;

  @Inject
  public MintTokenHandler(JwtTokens tokens, AccessService access, JsonBodies json, Clock clock) {
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.access = requireNonNull(access, "access is null");
    this.json = requireNonNull(json, "json is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public void handle(RoutingContext context) {
    TokenRequestBody body =
        json.read(
            context, TokenRequestBody.class, "Token request", StandardErrorCode.INVALID_REQUEST);
    Duration lifetime = lifetime(body);
    tokens.requireCanMint();
    User user =
        access
            .userByUsername(body.username())
            .orElseThrow(
                () ->
                    OrchestrionException.notFound("User with username '" + body.username() + "'"));
    AccessService.signInRefusal(user)
        .ifPresent(
            refusal -> {
              throw new OrchestrionException(StandardErrorCode.CONFLICT, refusal);
            });
    Instant now = clock.instant();
    json.respond(
        context,
        201,
        new TokenResponse(
            tokens.mint(user.id(), now, lifetime),
            "Bearer",
            user.id(),
            Instant.ofEpochSecond(now.plus(lifetime).getEpochSecond())));
  }

  private Duration lifetime(TokenRequestBody body) {
    if (body.ttl().isEmpty()) {
      return JwtTokens.DEFAULT_LIFETIME;
    }
    String text = body.ttl().get();
    try {
      Duration lifetime = Duration.parse(text);
      tokens.requireLifetime(lifetime);
      return lifetime;
    } catch (DateTimeParseException | OrchestrionException e) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_REQUEST,
          "Token request",
          List.of(
              new Problem(
                  "$.ttl",
                  "'"
                      + text
                      + "' is not an ISO-8601 duration between PT0S (excluded) and "
                      + tokens.maxLifetime()
                      + ", e.g. PT8H")));
    }
  }
}

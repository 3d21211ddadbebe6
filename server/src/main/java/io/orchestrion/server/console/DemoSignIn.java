package io.orchestrion.server.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.server.http.JwtTokens;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /console/demo-users}: the demo's users, each with a fresh bearer token, for the
 * console's one-click sign-in. It exists only after {@link #enable} (the server runs with {@code
 * --demo} and can mint tokens); before, the path is unknown (404) like any other. Anyone who can
 * reach the server can then act as a demo user: a demo is not for production data.
 */
public final class DemoSignIn {
  private final JwtTokens tokens;
  private final ObjectMapper objectMapper;
  private final Clock clock;
  private final AtomicReference<Optional<List<DemoUser>>> users =
      new AtomicReference<>(Optional.empty());

  @Inject
  public DemoSignIn(JwtTokens tokens, ObjectMapper objectMapper) {
    this(tokens, objectMapper, Clock.systemUTC());
  }

  DemoSignIn(JwtTokens tokens, ObjectMapper objectMapper, Clock clock) {
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.objectMapper = requireNonNull(objectMapper, "objectMapper is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Offers a one-click sign-in as each of {@code demoUsers} from now on.
   *
   * @throws OrchestrionException CONFLICT when this server cannot mint tokens (RS256 with a public
   *     key only)
   */
  public void enable(List<DemoUser> demoUsers) {
    if (!tokens.canMint()) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "the demo sign-in needs a server that mints tokens (an HS256 secret or an RS256 private"
              + " key)");
    }
    users.set(Optional.of(List.copyOf(demoUsers)));
  }

  /** {@code GET /console/config.json}: what the sign-in page offers ({@code demoSignIn}). */
  void config(RoutingContext context) {
    ConsoleAssets.secured(context)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end("{\"demoSignIn\":" + users.get().isPresent() + "}");
  }

  void handle(RoutingContext context) {
    Optional<List<DemoUser>> enabled = users.get();
    if (enabled.isEmpty()) {
      context.next();
      return;
    }
    List<Map<String, String>> body =
        enabled.get().stream()
            .map(
                user ->
                    Map.of(
                        "id", user.id(),
                        "displayName", user.displayName(),
                        "description", user.description(),
                        "token",
                            tokens.mint(user.id(), clock.instant(), JwtTokens.DEFAULT_LIFETIME)))
            .toList();
    try {
      ConsoleAssets.secured(context)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(objectMapper.writeValueAsString(Map.of("users", body)));
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR, "Cannot serialise the demo users", e);
    }
  }

  /** A demo user offered for sign-in. */
  public record DemoUser(String id, String displayName, String description) {
    public DemoUser {
      requireNonNull(id, "id is null");
      requireNonNull(displayName, "displayName is null");
      requireNonNull(description, "description is null");
    }
  }
}

package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;

/**
 * Verifies and mints the API's bearer tokens with vertx-auth-jwt. A token names its user in {@code
 * sub} and must carry an expiry ({@code exp}); the signature, the expiry and {@code iat}/{@code
 * nbf} are checked by Vert.x. Whether the user may sign in is the {@link BearerTokenAuthHandler}'s
 * business. Thread-safe.
 */
public final class JwtTokens {
  /** The lifetime of a minted token when the caller does not choose one. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(8);

  /** The longest lifetime of a minted token (SPEC §11). */
  public static final Duration MAX_LIFETIME = Duration.ofHours(24);

  /** The {@code iss} of the tokens this server mints (informative: it is not checked). */
  public static final String ISSUER = "orchestrion";

  private final JwtKeys keys;
  private final JWTAuth provider;

  public JwtTokens(Vertx vertx, JwtKeys keys) {
    requireNonNull(vertx, "vertx is null");
    this.keys = requireNonNull(keys, "keys is null");
    String algorithm = keys.algorithm().name();
    JWTAuthOptions options =
        new JWTAuthOptions()
            .addPubSecKey(
                new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(keys.verificationKey()));
    if (keys.algorithm() == JwtKeys.Algorithm.RS256) {
      keys.signingKey()
          .ifPresent(
              privateKey ->
                  options.addPubSecKey(
                      new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(privateKey)));
    }
    try {
      this.provider = JWTAuth.create(vertx, options);
    } catch (RuntimeException e) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "Invalid server configuration: cannot use the "
              + algorithm
              + " key(s): "
              + e.getMessage(),
          e);
    }
  }

  public JwtKeys keys() {
    return keys;
  }

  /** Whether this server holds the key to mint tokens (always for HS256). */
  public boolean canMint() {
    return keys.signingKey().isPresent();
  }

  /**
   * A token for {@code userId}, valid from {@code issuedAt} for {@code lifetime}. It does not check
   * the user: callers do (the {@code token} command refuses unknown and inactive users).
   */
  public String mint(String userId, Instant issuedAt, Duration lifetime) {
    requireNonNull(userId, "userId is null");
    requireNonNull(issuedAt, "issuedAt is null");
    requireNonNull(lifetime, "lifetime is null");
    requireLifetime(lifetime);
    requireCanMint();
    JsonObject claims =
        new JsonObject()
            .put("sub", userId)
            .put("iss", ISSUER)
            .put("iat", issuedAt.getEpochSecond())
            .put("exp", issuedAt.plus(lifetime).getEpochSecond());
    // The times are ours (the caller's clock), not the ones Vert.x would add.
    return provider.generateToken(
        claims, new JWTOptions().setAlgorithm(keys.algorithm().name()).setNoTimestamp(true));
  }

  /**
   * Passes when the lifetime is positive and at most {@link #MAX_LIFETIME}.
   *
   * @throws OrchestrionException INVALID_REQUEST saying what the bounds are
   */
  public static void requireLifetime(Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "the token lifetime must be positive and at most " + MAX_LIFETIME + ", was " + lifetime);
    }
  }

  /**
   * Passes when this server holds a signing key.
   *
   * @throws OrchestrionException CONFLICT saying why it cannot sign and where tokens come from
   */
  public void requireCanMint() {
    if (!canMint()) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "cannot mint tokens: the server verifies RS256 tokens with jwtPublicKey but has no"
              + " jwtPrivateKey; tokens come from your identity provider");
    }
  }

  /**
   * The user id ({@code sub}) of a valid token.
   *
   * @throws OrchestrionException UNAUTHENTICATED saying what is wrong with the token
   */
  public String verify(String token) {
    requireNonNull(token, "token is null");
    User user = await(provider.authenticate(new TokenCredentials(token)));
    // Vert.x keeps the decoded payload in the user's attributes, under "accessToken".
    JsonObject claims = user.attributes().getJsonObject("accessToken", user.attributes());
    if (!(claims.getValue("exp") instanceof Number)) {
      throw unauthenticated("the bearer token has no expiry (exp claim); tokens must expire");
    }
    Object subject = claims.getValue("sub");
    if (!(subject instanceof String userId) || userId.isBlank()) {
      throw unauthenticated("the bearer token names no user (sub claim)");
    }
    return userId;
  }

  private static User await(Future<User> future) {
    // Vert.x verifies synchronously; the wait is for a future provider that would not.
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw unauthenticated("invalid bearer token: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unauthenticated("interrupted while verifying the bearer token");
    }
  }

  private static OrchestrionException unauthenticated(String message) {
    return new OrchestrionException(StandardErrorCode.UNAUTHENTICATED, message);
  }
}

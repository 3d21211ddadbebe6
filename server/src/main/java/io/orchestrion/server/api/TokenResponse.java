package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A minted bearer token: send it as {@code Authorization: Bearer <token>}. */
public record TokenResponse(String token, String tokenType, String userId, Instant expiresAt) {
  public TokenResponse {
    requireNonNull(token, "token is null");
    requireNonNull(tokenType, "tokenType is null");
    requireNonNull(userId, "userId is null");
    requireNonNull(expiresAt, "expiresAt is null");
  }
}

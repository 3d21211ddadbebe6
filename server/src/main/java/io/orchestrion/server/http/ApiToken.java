package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.EngineActors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The API's bearer token. Until per-user authentication exists (#4) it stands for the built-in
 * administrator {@link #ADMIN_USER_ID}.
 */
public record ApiToken(String value) {
  /** The user id that requests carrying the token act as. */
  public static final String ADMIN_USER_ID = EngineActors.ADMIN;

  public ApiToken {
    requireNonNull(value, "value is null");
    if (value.isBlank()) {
      throw new IllegalArgumentException("API token is blank");
    }
  }

  /** Compares in constant time so that response timing does not leak the token. */
  public boolean matches(String candidate) {
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "ApiToken[****]";
  }
}

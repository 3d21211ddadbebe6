package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The body of {@code POST /tokens}.
 *
 * @param username the username of the user the token acts as
 * @param ttl the token's lifetime as an ISO-8601 duration ({@code PT8H} when absent)
 */
public record TokenRequestBody(String username, Optional<String> ttl) {
  public TokenRequestBody {
    requireNonNull(username, "username is null");
    ttl = ttl == null ? Optional.empty() : ttl;
  }
}

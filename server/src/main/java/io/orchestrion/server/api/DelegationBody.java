package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * The body of {@code PUT /users/{id}/delegation}: the delegate and, optionally, the window as
 * ISO-8601 instants ({@code 2025-03-01T00:00:00Z}, or with an offset); {@code from} inclusive,
 * {@code until} exclusive. A missing {@code delegateId} is 400 at {@code $} naming it, an
 * unreadable instant 400 at its property.
 */
public record DelegationBody(String delegateId, Optional<Instant> from, Optional<Instant> until) {
  public DelegationBody {
    requireNonNull(delegateId, "delegateId is null");
    from = from == null ? Optional.empty() : from;
    until = until == null ? Optional.empty() : until;
  }
}

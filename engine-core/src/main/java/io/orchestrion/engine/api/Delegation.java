package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A user's delegate (out of office, issue #15): while the window is open ({@code from} inclusive,
 * {@code until} exclusive, either end open when empty) and the delegate is an active user, the
 * delegate may decide the work items assigned to the user directly, on the user's behalf. A user
 * has at most one delegation; a delegate's own delegate does not inherit it (no chains).
 *
 * @param userId the user whose items the delegate may decide
 * @param delegateId the delegate, never {@code userId}
 * @param from when the delegation starts; empty: already
 * @param until when it ends (exclusive); empty: until replaced or ended
 * @param setBy who set it: the user themself or a user manager (MANAGE_USERS)
 * @param updatedAt when it was set
 * @param active whether it is in force now: within the window, with an active delegate
 */
public record Delegation(
    String userId,
    String delegateId,
    Optional<Instant> from,
    Optional<Instant> until,
    String setBy,
    Instant updatedAt,
    boolean active) {
  public Delegation {
    requireNonNull(userId, "userId is null");
    requireNonNull(delegateId, "delegateId is null");
    requireNonNull(from, "from is null");
    requireNonNull(until, "until is null");
    requireNonNull(setBy, "setBy is null");
    requireNonNull(updatedAt, "updatedAt is null");
  }

  /** Whether {@code now} is within the window (the delegate's activity is not checked here). */
  public boolean covers(Instant now) {
    return from.map(start -> !now.isBefore(start)).orElse(true)
        && until.map(end -> now.isBefore(end)).orElse(true);
  }

  /** This delegation with {@link #active()} as given. */
  public Delegation withActive(boolean active) {
    return new Delegation(userId, delegateId, from, until, setBy, updatedAt, active);
  }
}

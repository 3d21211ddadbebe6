package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.Delegation;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.directory.DelegationTables;
import io.orchestrion.engine.directory.DirectoryTables;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.StoredStrings;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.security.ActorPermissions;
import io.orchestrion.security.SystemUsers;
import io.orchestrion.spi.directory.User;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Delegation and out-of-office (issue #15; docs/security.md): a user's delegate, optionally for a
 * window of instants, set, replaced or ended by the user themself or by a user manager
 * (MANAGE_USERS). Who may decide what because of it is {@link
 * io.orchestrion.engine.approvals.Delegations}' answer, read at decision and inbox time.
 */
public final class DelegationService {
  private static final int ID_LENGTH = 64;

  private final Database database;
  private final ActorPermissions permissions;
  private final Assignees assignees;
  private final Clock clock;

  @Inject
  public DelegationService(
      Database database, ActorPermissions permissions, Assignees assignees, Clock clock) {
    this.database = requireNonNull(database, "database is null");
    this.permissions = requireNonNull(permissions, "permissions is null");
    this.assignees = requireNonNull(assignees, "assignees is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * The user's delegation, with {@link Delegation#active()} as of now; empty when they have none.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless {@code actorId} is the user or holds
   *     MANAGE_USERS; NOT_FOUND when the user does not exist
   */
  public Optional<Delegation> get(String userId, String actorId) {
    requireNonNull(userId, "userId is null");
    requireNonNull(actorId, "actorId is null");
    return database.inTransaction(
        tx -> {
          requireMayManage(tx, userId, actorId, "read the delegation of");
          requireUser(tx, userId);
          return DelegationTables.of(tx.connection(), userId).map(d -> withActive(tx, d));
        });
  }

  /**
   * Sets (or replaces) the user's delegate, in force from {@code from} (inclusive; empty: now)
   * until {@code until} (exclusive; empty: until ended). Open items are affected at once.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless {@code actorId} is the user or holds
   *     MANAGE_USERS; NOT_FOUND when the user does not exist; INVALID_REQUEST naming {@code
   *     $.delegateId} (blank, the user themself, unknown, inactive, the automated process user) or
   *     {@code $.until} (not after {@code from}, or already past)
   */
  public Delegation set(
      String userId,
      String delegateId,
      Optional<Instant> from,
      Optional<Instant> until,
      String actorId) {
    requireNonNull(userId, "userId is null");
    requireNonNull(delegateId, "delegateId is null");
    requireNonNull(from, "from is null");
    requireNonNull(until, "until is null");
    requireNonNull(actorId, "actorId is null");
    return database.inTransaction(
        tx -> {
          requireMayManage(tx, userId, actorId, "set the delegate of");
          requireUser(tx, userId);
          Instant now = clock.instant();
          List<Problem> problems = new ArrayList<>();
          checkDelegate(tx, userId, delegateId, problems);
          if (until.isPresent()) {
            if (from.isPresent() && !until.get().isAfter(from.get())) {
              problems.add(
                  new Problem(
                      "$.until",
                      "until (%s) must be after from (%s)".formatted(until.get(), from.get())));
            } else if (!until.get().isAfter(now)) {
              problems.add(
                  new Problem(
                      "$.until",
                      "until (%s) is not in the future (now: %s)".formatted(until.get(), now)));
            }
          }
          StoredStrings.failOn(
              problems, StandardErrorCode.INVALID_REQUEST, "Delegation of user '" + userId + "'");
          Delegation delegation =
              new Delegation(userId, delegateId, from, until, actorId, now, false);
          DelegationTables.save(tx.connection(), delegation);
          return withActive(tx, delegation);
        });
  }

  /**
   * Ends the user's delegation at once: their delegate can no longer decide their items.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless {@code actorId} is the user or holds
   *     MANAGE_USERS; NOT_FOUND when the user does not exist or has no delegation
   */
  public void end(String userId, String actorId) {
    requireNonNull(userId, "userId is null");
    requireNonNull(actorId, "actorId is null");
    database.inTransaction(
        tx -> {
          requireMayManage(tx, userId, actorId, "end the delegation of");
          requireUser(tx, userId);
          if (!DelegationTables.delete(tx.connection(), userId)) {
            throw OrchestrionException.notFound("Delegation of user '" + userId + "'");
          }
          return null;
        });
  }

  private void checkDelegate(
      Transaction tx, String userId, String delegateId, List<Problem> problems)
      throws SQLException {
    String path = "$.delegateId";
    if (delegateId.isBlank()) {
      problems.add(new Problem(path, "must not be blank"));
      return;
    }
    StoredStrings.check(problems, path, delegateId, ID_LENGTH);
    if (!problems.isEmpty()) {
      return;
    }
    if (delegateId.equals(userId)) {
      problems.add(new Problem(path, "user '" + userId + "' cannot be their own delegate"));
      return;
    }
    if (delegateId.equals(SystemUsers.AUTOMATED_PROCESS_USER_ID)) {
      problems.add(new Problem(path, "the automated process user cannot be a delegate"));
      return;
    }
    Optional<User> delegate = DirectoryTables.user(tx.connection(), "id", delegateId);
    if (delegate.isEmpty()) {
      problems.add(new Problem(path, "user '" + delegateId + "' does not exist"));
    } else if (!delegate.get().active()) {
      problems.add(new Problem(path, "user '" + delegateId + "' is not active"));
    }
  }

  private Delegation withActive(Transaction tx, Delegation delegation) {
    return delegation.withActive(
        delegation.covers(clock.instant())
            && assignees.within(tx).isActiveUser(delegation.delegateId()));
  }

  private void requireMayManage(Transaction tx, String userId, String actorId, String what) {
    if (!actorId.equals(userId) && !permissions.mayManageUsers(tx, actorId)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "user '%s' may not %s user '%s': only the user themself or a user manager"
                  .formatted(actorId, what, userId)
              + " (MANAGE_USERS) may");
    }
  }

  private static void requireUser(Transaction tx, String userId) throws SQLException {
    if (DirectoryTables.user(tx.connection(), "id", userId).isEmpty()) {
      throw OrchestrionException.notFound("User '" + userId + "'");
    }
  }
}

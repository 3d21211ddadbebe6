package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.Delegation;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.directory.DelegationTables;
import io.orchestrion.engine.directory.DirectoryTables;
import io.orchestrion.engine.persistence.StoredStrings;
import io.orchestrion.engine.security.ActorPermissions;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.security.SystemUsers;
import io.orchestrion.spi.directory.User;
import jakarta.inject.Inject;
import java.sql.SQLException;
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

  private final UnitsOfWork units;
  private final ActorPermissions permissions;
  private final Assignees assignees;

  @Inject
  public DelegationService(UnitsOfWork units, ActorPermissions permissions, Assignees assignees) {
    this.units = requireNonNull(units, "units is null");
    this.permissions = requireNonNull(permissions, "permissions is null");
    this.assignees = requireNonNull(assignees, "assignees is null");
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
    return units.call(
        uow -> {
          requireMayManage(uow, userId, actorId, "read the delegation of");
          requireUser(uow, userId);
          return DelegationTables.of(uow.connection(), userId).map(d -> withActive(uow, d));
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
    return units.call(
        uow -> {
          requireMayManage(uow, userId, actorId, "set the delegate of");
          requireUser(uow, userId);
          Instant now = uow.now();
          List<Problem> problems = new ArrayList<>();
          checkDelegate(uow, userId, delegateId, problems);
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
          DelegationTables.save(uow.connection(), delegation);
          return withActive(uow, delegation);
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
    units.call(
        uow -> {
          requireMayManage(uow, userId, actorId, "end the delegation of");
          requireUser(uow, userId);
          if (!DelegationTables.delete(uow.connection(), userId)) {
            throw OrchestrionException.notFound("Delegation of user '" + userId + "'");
          }
          return null;
        });
  }

  private void checkDelegate(
      UnitOfWork uow, String userId, String delegateId, List<Problem> problems)
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
    Optional<User> delegate = DirectoryTables.user(uow.connection(), "id", delegateId);
    if (delegate.isEmpty()) {
      problems.add(new Problem(path, "user '" + delegateId + "' does not exist"));
    } else if (!delegate.get().active()) {
      problems.add(new Problem(path, "user '" + delegateId + "' is not active"));
    }
  }

  private Delegation withActive(UnitOfWork uow, Delegation delegation) {
    return delegation.withActive(
        delegation.covers(uow.now())
            && assignees.within(uow).isActiveUser(delegation.delegateId()));
  }

  private void requireMayManage(UnitOfWork uow, String userId, String actorId, String what) {
    if (!actorId.equals(userId) && !permissions.mayManageUsers(uow.directoryIndex(), actorId)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "user '%s' may not %s user '%s': only the user themself or a user manager"
                  .formatted(actorId, what, userId)
              + " (MANAGE_USERS) may");
    }
  }

  private static void requireUser(UnitOfWork uow, String userId) throws SQLException {
    if (DirectoryTables.user(uow.connection(), "id", userId).isEmpty()) {
      throw OrchestrionException.notFound("User '" + userId + "'");
    }
  }
}

package io.orchestrion.engine.approvals;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.directory.DelegationTables;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.engine.work.UnitsOfWork;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/**
 * Whose work items a user may decide as their delegate now (issue #15): the users whose delegation
 * names them and whose window covers the clock, provided the delegate is an active user. Read by
 * SQL each time (nothing is copied into work items), so a delegation set, changed or ended applies
 * to open items at once. A delegate's own delegate does not inherit (no chains): only rows naming
 * the user count. Thread-safe.
 */
public final class Delegations {
  private final UnitsOfWork units;
  private final Assignees assignees;

  @Inject
  public Delegations(UnitsOfWork units, Assignees assignees) {
    this.units = requireNonNull(units, "units is null");
    this.assignees = requireNonNull(assignees, "assignees is null");
  }

  /** The users {@code delegateId} stands in for at {@code uow}'s instant, read through it. */
  public Set<String> principalsOf(UnitOfWork uow, String delegateId) {
    requireNonNull(delegateId, "delegateId is null");
    if (!assignees.within(uow).isActiveUser(delegateId)) {
      return Set.of();
    }
    try {
      return Set.copyOf(DelegationTables.principalsOf(uow.connection(), delegateId, uow.now()));
    } catch (SQLException e) {
      throw Database.databaseError("reading the delegations to '" + delegateId + "'", e);
    }
  }

  /** Like {@link #principalsOf(UnitOfWork, String)}, in a unit of work of its own. */
  public Set<String> principalsOf(String delegateId) {
    return units.call(uow -> principalsOf(uow, delegateId));
  }

  /**
   * The user on whose behalf {@code userId} may decide an item assigned to {@code assigneeType}
   * {@code assigneeId}: the assigned user, when the item is assigned to a user directly and {@code
   * userId} is their delegate now; empty otherwise (group and queue items are never delegated).
   */
  public Optional<String> onBehalfOf(
      UnitOfWork uow, String assigneeType, String assigneeId, String userId) {
    if (!ApprovalRules.isDelegable(assigneeType) || assigneeId.equals(userId)) {
      return Optional.empty();
    }
    return ApprovalRules.onBehalfOf(assigneeType, assigneeId, principalsOf(uow, userId));
  }
}

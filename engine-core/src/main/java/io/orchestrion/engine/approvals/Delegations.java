package io.orchestrion.engine.approvals;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.directory.DelegationTables;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Transaction;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
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
  private final Database database;
  private final Assignees assignees;
  private final Clock clock;

  @Inject
  public Delegations(Database database, Assignees assignees, Clock clock) {
    this.database = requireNonNull(database, "database is null");
    this.assignees = requireNonNull(assignees, "assignees is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** The users {@code delegateId} stands in for now, read through {@code tx}. */
  public Set<String> principalsOf(Transaction tx, String delegateId) {
    requireNonNull(delegateId, "delegateId is null");
    if (!assignees.within(tx).isActiveUser(delegateId)) {
      return Set.of();
    }
    try {
      return Set.copyOf(
          DelegationTables.principalsOf(tx.connection(), delegateId, clock.instant()));
    } catch (SQLException e) {
      throw Database.databaseError("reading the delegations to '" + delegateId + "'", e);
    }
  }

  /** Like {@link #principalsOf(Transaction, String)}, in a transaction of its own. */
  public Set<String> principalsOf(String delegateId) {
    return database.inTransaction(tx -> principalsOf(tx, delegateId));
  }

  /**
   * The user on whose behalf {@code userId} may decide an item assigned to {@code assigneeType}
   * {@code assigneeId}: the assigned user, when the item is assigned to a user directly and {@code
   * userId} is their delegate now; empty otherwise (group and queue items are never delegated).
   */
  public Optional<String> onBehalfOf(
      Transaction tx, String assigneeType, String assigneeId, String userId) {
    if (!ApprovalRules.isDelegable(assigneeType) || assigneeId.equals(userId)) {
      return Optional.empty();
    }
    return ApprovalRules.onBehalfOf(assigneeType, assigneeId, principalsOf(tx, userId));
  }
}

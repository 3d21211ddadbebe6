package io.orchestrion.engine.approvals;

import io.orchestrion.engine.work.UnitOfWork;
import java.util.Optional;
import java.util.Set;

/**
 * What approvals need to know about people (SPEC §7, §8): managers, whether a user is active, which
 * groups and queues a user belongs to. Backed by the directory. What a user may do is not asked
 * here: see {@link io.orchestrion.engine.security.ActorPermissions}.
 */
public interface Assignees {
  /**
   * These assignees reading through {@code uow} (its transaction and directory index), valid as
   * long as it is: code holding a unit of work (a decision, a pass, a worker) asks this view, so
   * that it never takes a second connection from the pool. The default returns {@code this}, right
   * for assignees that read no database.
   */
  default Assignees within(UnitOfWork uow) {
    return this;
  }

  /** The manager of an active user; empty when the user is unknown, inactive or has none. */
  Optional<String> managerOf(String userId);

  /** The directory role of an active user; empty when the user is unknown, inactive or has none. */
  Optional<String> roleOf(String userId);

  /** Whether the user exists and is active. */
  boolean isActiveUser(String userId);

  boolean groupExists(String groupId);

  boolean queueExists(String queueId);

  /** The public groups the user belongs to, directly or through roles and nested groups. */
  Set<String> groupsOf(String userId);

  /** The queues the user belongs to. */
  Set<String> queuesOf(String userId);

  /**
   * Whether a work item assigned to {@code assigneeType} ({@code USER}, {@code GROUP} or {@code
   * QUEUE}) {@code assigneeId} is the user's: theirs, or of a group or queue they belong to.
   */
  default boolean isAssignedTo(String assigneeType, String assigneeId, String userId) {
    return switch (assigneeType) {
      case "USER" -> assigneeId.equals(userId);
      case "GROUP" -> groupsOf(userId).contains(assigneeId);
      case "QUEUE" -> queuesOf(userId).contains(assigneeId);
      default -> false;
    };
  }
}

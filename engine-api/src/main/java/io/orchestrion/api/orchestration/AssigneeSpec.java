package io.orchestrion.api.orchestration;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Who receives the work item of an approval step (SPEC §8). {@code levels} and {@code upToRole}
 * belong to MANAGER_CHAIN.
 */
public record AssigneeSpec(
    AssigneeType type,
    Optional<String> userId,
    Optional<String> group,
    Optional<String> queue,
    Optional<String> field,
    Optional<Integer> levels,
    Optional<String> upToRole) {
  public AssigneeSpec {
    requireNonNull(type, "type is null");
    userId = userId == null ? Optional.empty() : userId;
    group = group == null ? Optional.empty() : group;
    queue = queue == null ? Optional.empty() : queue;
    field = field == null ? Optional.empty() : field;
    levels = levels == null ? Optional.empty() : levels;
    upToRole = upToRole == null ? Optional.empty() : upToRole;
  }

  public enum AssigneeType {
    USER,
    GROUP,
    QUEUE,
    SUBMITTER_MANAGER,
    RECORD_FIELD,
    /**
     * The submitter's manager, then that manager's manager, and so on: one work item per level,
     * each after the previous one approved; {@code levels} levels, or up to the first manager
     * holding role {@code upToRole}.
     */
    MANAGER_CHAIN,
    /** Only as an escalation rung's {@code to}: the manager of the item's current assignee. */
    ASSIGNEE_MANAGER
  }
}

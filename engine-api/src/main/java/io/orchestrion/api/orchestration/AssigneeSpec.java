package io.orchestrion.api.orchestration;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** Who receives the work item of an approval step (SPEC §8). */
public record AssigneeSpec(
    AssigneeType type,
    Optional<String> userId,
    Optional<String> group,
    Optional<String> queue,
    Optional<String> field) {
  public AssigneeSpec {
    requireNonNull(type, "type is null");
    userId = userId == null ? Optional.empty() : userId;
    group = group == null ? Optional.empty() : group;
    queue = queue == null ? Optional.empty() : queue;
    field = field == null ? Optional.empty() : field;
  }

  public enum AssigneeType {
    USER,
    GROUP,
    QUEUE,
    SUBMITTER_MANAGER,
    RECORD_FIELD
  }
}

package io.orchestrion.engine.run.model;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;

/** Who a work item is assigned to: a user, a group or a queue (SPEC §8). */
public record Assignee(Type type, String id) {
  /** The kinds of assignee; stored by name in {@code work_items.assignee_type}. */
  public enum Type {
    USER,
    GROUP,
    QUEUE
  }

  public Assignee {
    requireNonNull(type, "type is null");
    requireNonNull(id, "id is null");
  }

  public static Assignee user(String id) {
    return new Assignee(Type.USER, id);
  }

  public static Assignee group(String id) {
    return new Assignee(Type.GROUP, id);
  }

  public static Assignee queue(String id) {
    return new Assignee(Type.QUEUE, id);
  }

  /**
   * An assignee named by a request: {@code type} must be USER, GROUP or QUEUE (else
   * INVALID_REQUEST).
   */
  public static Assignee of(String type, String id) {
    for (Type known : Type.values()) {
      if (known.name().equals(type)) {
        return new Assignee(known, id);
      }
    }
    throw new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST,
        "assignee type must be USER, GROUP or QUEUE, not '%s'".formatted(type));
  }

  public boolean isUser() {
    return type == Type.USER;
  }

  /** "USER alice", "QUEUE Finance": how audit entries and explanations name it. */
  @Override
  public String toString() {
    return type + " " + id;
  }
}

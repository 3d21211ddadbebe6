package io.orchestrion.engine.approvals;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.orchestration.AssigneeSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The approvers of a MANAGER_CHAIN (docs/orchestrations.md, "Approval chains"): the submitter's
 * manager, that manager's manager, and so on, active users only; {@code levels} of them, or up to
 * and including the first one whose directory role is {@code upToRole}. A chain that ends (no
 * active manager), loops, or does not reach the role within {@link #MAX_LEVELS} levels cannot be
 * resolved.
 */
public final class ManagerChain {
  /** The most levels a chain may have, by {@code levels} or while looking for {@code upToRole}. */
  public static final int MAX_LEVELS = 10;

  private ManagerChain() {}

  /**
   * The chain's approvers, level 1 first, as the directory says now.
   *
   * @throws OrchestrionException INVALID_REQUEST ("unresolvable assignee: ...") when it cannot be
   *     resolved
   */
  public static List<String> resolve(Assignees people, String submitterId, AssigneeSpec spec) {
    Optional<String> role = spec.upToRole();
    int wanted = spec.levels().orElse(MAX_LEVELS);
    List<String> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>(Set.of(submitterId));
    String current = submitterId;
    while (chain.size() < wanted) {
      int level = chain.size() + 1;
      String below = current;
      String manager =
          people
              .managerOf(current)
              .orElseThrow(
                  () ->
                      unresolvable(
                          "the manager chain of '%s' ends at level %d: '%s' has no active manager%s"
                              .formatted(submitterId, level, below, goal(spec))));
      if (!people.isActiveUser(manager)) {
        throw unresolvable(
            "manager '%s' at level %d of the chain of '%s' is unknown or inactive"
                .formatted(manager, level, submitterId));
      }
      if (!seen.add(manager)) {
        throw unresolvable(
            "the manager chain of '%s' loops back to '%s' at level %d"
                .formatted(submitterId, manager, level));
      }
      chain.add(manager);
      if (role.isPresent() && role.equals(people.roleOf(manager))) {
        return List.copyOf(chain);
      }
      current = manager;
    }
    if (role.isPresent()) {
      throw unresolvable(
          "no manager holding role '%s' within %d levels of the chain of '%s'"
              .formatted(role.get(), MAX_LEVELS, submitterId));
    }
    return List.copyOf(chain);
  }

  private static String goal(AssigneeSpec spec) {
    return spec.upToRole()
        .map(role -> " before reaching role '" + role + "'")
        .orElse(" (%d levels required)".formatted(spec.levels().orElse(MAX_LEVELS)));
  }

  private static OrchestrionException unresolvable(String message) {
    return new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST, "unresolvable assignee: " + message);
  }
}

package io.orchestrion.engine.approvals;

import io.orchestrion.engine.EngineActors;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;

/**
 * The assignees an engine without a directory knows: every user id is taken as an active user,
 * nobody has a manager or belongs to a group or queue, and the built-in admin is the only approval
 * admin and run manager. Replaced by the directory-backed implementation when one is bound.
 */
public final class BuiltInAssignees implements Assignees {
  @Inject
  public BuiltInAssignees() {}

  @Override
  public Optional<String> managerOf(String userId) {
    return Optional.empty();
  }

  @Override
  public boolean isActiveUser(String userId) {
    return !userId.isBlank();
  }

  @Override
  public boolean groupExists(String groupId) {
    return false;
  }

  @Override
  public boolean queueExists(String queueId) {
    return false;
  }

  @Override
  public Set<String> groupsOf(String userId) {
    return Set.of();
  }

  @Override
  public Set<String> queuesOf(String userId) {
    return Set.of();
  }

  @Override
  public boolean isApprovalAdmin(String userId) {
    return EngineActors.isApprovalAdmin(userId);
  }

  @Override
  public boolean mayManageRuns(String userId) {
    return EngineActors.isApprovalAdmin(userId);
  }
}

package io.orchestrion.engine.testing;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.orchestrion.engine.approvals.Assignees;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hand-written directory of people for tests: managers, groups, queues, inactive users and admins
 * set by the test. Every user not marked inactive is active. Thread-safe.
 */
public final class TestingAssignees implements Assignees {
  private final Map<String, String> managers = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> groupMembers = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> queueMembers = new ConcurrentHashMap<>();
  private final Set<String> inactive = ConcurrentHashMap.newKeySet();
  private final Set<String> approvalAdmins = ConcurrentHashMap.newKeySet();
  private final Set<String> runManagers = ConcurrentHashMap.newKeySet();

  /** A module binding {@link Assignees} to this instance, for {@link EngineHarness#start}. */
  public Module module() {
    TestingAssignees self = this;
    return new AbstractModule() {
      @Override
      protected void configure() {
        bind(Assignees.class).toInstance(self);
      }
    };
  }

  public TestingAssignees withManager(String userId, String managerId) {
    managers.put(userId, managerId);
    return this;
  }

  public TestingAssignees withGroup(String groupId, String... members) {
    groupMembers.put(groupId, Set.of(members));
    return this;
  }

  public TestingAssignees withQueue(String queueId, String... members) {
    queueMembers.put(queueId, Set.of(members));
    return this;
  }

  public TestingAssignees withApprovalAdmin(String userId) {
    approvalAdmins.add(userId);
    return this;
  }

  public TestingAssignees withRunManager(String userId) {
    runManagers.add(userId);
    return this;
  }

  public TestingAssignees deactivate(String userId) {
    inactive.add(userId);
    return this;
  }

  @Override
  public Optional<String> managerOf(String userId) {
    return isActiveUser(userId) ? Optional.ofNullable(managers.get(userId)) : Optional.empty();
  }

  @Override
  public boolean isActiveUser(String userId) {
    return !userId.isBlank() && !inactive.contains(userId);
  }

  @Override
  public boolean groupExists(String groupId) {
    return groupMembers.containsKey(groupId);
  }

  @Override
  public boolean queueExists(String queueId) {
    return queueMembers.containsKey(queueId);
  }

  @Override
  public Set<String> groupsOf(String userId) {
    return membership(groupMembers, userId);
  }

  @Override
  public Set<String> queuesOf(String userId) {
    return membership(queueMembers, userId);
  }

  private static Set<String> membership(Map<String, Set<String>> members, String userId) {
    Set<String> result = new HashSet<>();
    new HashMap<>(members)
        .forEach(
            (id, users) -> {
              if (users.contains(userId)) {
                result.add(id);
              }
            });
    return result;
  }

  @Override
  public boolean isApprovalAdmin(String userId) {
    return approvalAdmins.contains(userId);
  }

  @Override
  public boolean mayManageRuns(String userId) {
    return runManagers.contains(userId);
  }
}

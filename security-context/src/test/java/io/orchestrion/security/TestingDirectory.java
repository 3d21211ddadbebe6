package io.orchestrion.security;

import io.orchestrion.spi.directory.Directory;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PermissionSetAssignment;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.Role;
import io.orchestrion.spi.directory.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An in-memory directory for tests: every change bumps the revision; counts full reads. */
final class TestingDirectory implements Directory {
  private final List<User> users = new ArrayList<>();
  private final List<Role> roles = new ArrayList<>();
  private final List<PublicGroup> groups = new ArrayList<>();
  private final List<Queue> queues = new ArrayList<>();
  private final List<PermissionSet> permissionSets = new ArrayList<>();
  private final List<PermissionSetAssignment> assignments = new ArrayList<>();
  private long revision = 1;
  int userListings;
  int revisionReads;
  // Runs at each revision read, before it answers: lets a test act while a read is under way.
  Runnable onRevisionRead = () -> {};

  TestingDirectory user(User user) {
    users.removeIf(existing -> existing.id().equals(user.id()));
    users.add(user);
    revision++;
    return this;
  }

  TestingDirectory role(String id, String parent) {
    roles.add(new Role(id, id, Optional.ofNullable(parent)));
    revision++;
    return this;
  }

  TestingDirectory group(PublicGroup group) {
    groups.add(group);
    revision++;
    return this;
  }

  TestingDirectory queue(Queue queue) {
    queues.add(queue);
    revision++;
    return this;
  }

  TestingDirectory permissionSet(PermissionSet set, String... userIds) {
    permissionSets.add(set);
    for (String userId : userIds) {
      assignments.add(new PermissionSetAssignment(userId, set.id()));
    }
    revision++;
    return this;
  }

  @Override
  public long revision() {
    revisionReads++;
    long read = revision;
    onRevisionRead.run();
    return read;
  }

  @Override
  public Optional<User> user(String id) {
    return users.stream().filter(user -> user.id().equals(id)).findFirst();
  }

  @Override
  public Optional<User> userByUsername(String username) {
    return users.stream().filter(user -> user.username().equals(username)).findFirst();
  }

  @Override
  public List<User> users() {
    userListings++;
    return List.copyOf(users);
  }

  @Override
  public List<Role> roles() {
    return List.copyOf(roles);
  }

  @Override
  public List<PublicGroup> groups() {
    return List.copyOf(groups);
  }

  @Override
  public List<Queue> queues() {
    return List.copyOf(queues);
  }

  @Override
  public List<PermissionSet> permissionSets() {
    return List.copyOf(permissionSets);
  }

  @Override
  public List<PermissionSetAssignment> assignments() {
    return List.copyOf(assignments);
  }
}

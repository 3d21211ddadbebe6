package io.orchestrion.engine.approvals;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.security.DirectoryIndex;
import io.orchestrion.security.UserAccess;
import io.orchestrion.spi.directory.Directory;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.User;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Assignees from the directory (SPEC §7, §8): managers and activity from users, group and queue
 * membership from the cached index (transitive through roles and nested groups). Inactive users are
 * nobody's manager and belong to no group or queue here. Thread-safe.
 */
public final class DirectoryAssignees implements Assignees {
  private final EngineSecurity security;
  private final Directory directory;
  private final Supplier<DirectoryIndex> index;

  @Inject
  public DirectoryAssignees(EngineSecurity security, Directory directory) {
    this.security = requireNonNull(security, "security is null");
    this.directory = requireNonNull(directory, "directory is null");
    this.index = security::index;
  }

  private DirectoryAssignees(
      EngineSecurity security, Directory directory, Supplier<DirectoryIndex> index) {
    this.security = security;
    this.directory = directory;
    this.index = index;
  }

  /** Reads the index and the directory through {@code uow}. */
  @Override
  public Assignees within(UnitOfWork uow) {
    requireNonNull(uow, "uow is null");
    return new DirectoryAssignees(security, uow.directory(), uow::directoryIndex);
  }

  private Optional<UserAccess> active(String userId) {
    DirectoryIndex index = this.index.get();
    return index.user(userId).filter(User::active).map(user -> index.access(user.id()));
  }

  @Override
  public Optional<String> managerOf(String userId) {
    return active(userId).flatMap(access -> access.user().managerId());
  }

  @Override
  public Optional<String> roleOf(String userId) {
    return active(userId).flatMap(access -> access.user().roleId());
  }

  @Override
  public boolean isActiveUser(String userId) {
    return active(userId).isPresent();
  }

  @Override
  public boolean groupExists(String groupId) {
    return directory.groups().stream().anyMatch(group -> group.id().equals(groupId));
  }

  @Override
  public boolean queueExists(String queueId) {
    return queueIds().contains(queueId);
  }

  @Override
  public Set<String> groupsOf(String userId) {
    Set<String> queues = queueIds();
    return active(userId)
        .map(
            access ->
                access.groupIds().stream()
                    .filter(id -> !queues.contains(id))
                    .collect(Collectors.toUnmodifiableSet()))
        .orElse(Set.of());
  }

  @Override
  public Set<String> queuesOf(String userId) {
    Set<String> queues = queueIds();
    return active(userId)
        .map(
            access -> {
              Set<String> member = new HashSet<>(access.groupIds());
              member.retainAll(queues);
              return Set.copyOf(member);
            })
        .orElse(Set.of());
  }

  private Set<String> queueIds() {
    return directory.queues().stream().map(Queue::id).collect(Collectors.toUnmodifiableSet());
  }
}

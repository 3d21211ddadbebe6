package io.orchestrion.engine.notifications;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.security.DirectoryIndex;
import io.orchestrion.spi.directory.User;
import io.orchestrion.spi.notification.NotificationContext;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@link NotificationContext} of the engine: users and the members of groups and queues from
 * the directory's cached index, whose revision each call reads in a short transaction of its own
 * (so it must be called with no transaction open, which is how listeners are called).
 */
public final class DirectoryNotificationContext implements NotificationContext {
  private final EngineSecurity security;

  @Inject
  public DirectoryNotificationContext(EngineSecurity security) {
    this.security = requireNonNull(security, "security is null");
  }

  @Override
  public Optional<User> user(String userId) {
    requireNonNull(userId, "userId is null");
    return security.index().user(userId);
  }

  @Override
  public List<User> assigneeUsers(String assigneeType, String assigneeId) {
    requireNonNull(assigneeType, "assigneeType is null");
    requireNonNull(assigneeId, "assigneeId is null");
    DirectoryIndex index = security.index();
    return switch (assigneeType) {
      case "USER" -> index.user(assigneeId).filter(User::active).stream().toList();
      case "GROUP", "QUEUE" ->
          index.users().stream()
              .filter(User::active)
              .filter(user -> index.access(user.id()).groupIds().contains(assigneeId))
              .sorted(Comparator.comparing(User::id))
              .limit(MAX_MEMBERS)
              .toList();
      default -> List.of();
    };
  }
}

package io.orchestrion.plugins.email;

import io.orchestrion.spi.directory.User;
import io.orchestrion.spi.notification.NotificationContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link NotificationContext} over users and groups held in maps, for tests of the templates
 * without an engine (the end-to-end tests use the engine's own).
 */
final class MapDirectory implements NotificationContext {
  private final Map<String, User> users = new LinkedHashMap<>();
  private final Map<String, List<String>> groups = new LinkedHashMap<>();

  MapDirectory user(String id, String name, String email) {
    users.put(
        id,
        new User(
            id,
            id,
            name,
            Optional.ofNullable(email),
            true,
            Optional.empty(),
            Optional.empty(),
            false));
    return this;
  }

  MapDirectory group(String id, String... members) {
    groups.put(id, List.of(members));
    return this;
  }

  @Override
  public Optional<User> user(String userId) {
    return Optional.ofNullable(users.get(userId));
  }

  @Override
  public List<User> assigneeUsers(String assigneeType, String assigneeId) {
    return switch (assigneeType) {
      case "USER" -> user(assigneeId).stream().toList();
      case "GROUP", "QUEUE" ->
          groups.getOrDefault(assigneeId, List.of()).stream().map(users::get).toList();
      default -> List.of();
    };
  }
}

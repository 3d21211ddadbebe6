package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.directory.User;
import java.util.List;
import java.util.Optional;

/** One user as {@code GET /users/{id}} returns it: the user and the permission sets they hold. */
public record UserResponse(
    String id,
    String username,
    String displayName,
    Optional<String> email,
    boolean active,
    Optional<String> managerId,
    Optional<String> roleId,
    boolean automatedProcess,
    List<String> permissionSetIds) {
  public UserResponse {
    requireNonNull(id, "id is null");
    requireNonNull(username, "username is null");
    requireNonNull(displayName, "displayName is null");
    requireNonNull(email, "email is null");
    requireNonNull(managerId, "managerId is null");
    requireNonNull(roleId, "roleId is null");
    permissionSetIds = List.copyOf(permissionSetIds);
  }

  static UserResponse of(User user, List<String> permissionSetIds) {
    return new UserResponse(
        user.id(),
        user.username(),
        user.displayName(),
        user.email(),
        user.active(),
        user.managerId(),
        user.roleId(),
        user.automatedProcess(),
        permissionSetIds);
  }
}

package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.directory.User;
import java.util.Optional;

/**
 * The body of {@code PUT /users/{id}}: the whole user, replacing what is stored. {@code active}
 * defaults to true; sending {@code false} deactivates the user (users are never deleted). The
 * automated process user cannot be written, so there is no {@code automatedProcess} property.
 */
public record UserBody(
    Optional<String> id,
    String username,
    String displayName,
    Optional<String> email,
    Optional<Boolean> active,
    Optional<String> managerId,
    Optional<String> roleId) {
  public UserBody {
    id = id == null ? Optional.empty() : id;
    requireNonNull(username, "username is null");
    requireNonNull(displayName, "displayName is null");
    email = email == null ? Optional.empty() : email;
    active = active == null ? Optional.empty() : active;
    managerId = managerId == null ? Optional.empty() : managerId;
    roleId = roleId == null ? Optional.empty() : roleId;
  }

  User toUser(String pathId) {
    DirectoryRequests.requireSameId(id, pathId, "User '" + pathId + "'");
    if (username.isBlank()) {
      throw DirectoryRequests.invalid(
          "User '" + pathId + "': the username is blank", "$.username", "must not be blank");
    }
    return new User(
        pathId, username, displayName, email, active.orElse(true), managerId, roleId, false);
  }
}

package io.orchestrion.spi.directory;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A user of the engine.
 *
 * @param active an inactive user cannot authenticate, and flows cannot run as them
 * @param managerId the user's manager (approval steps assigned to the submitter's manager)
 * @param roleId the user's place in the role hierarchy
 * @param automatedProcess the built-in automated process user: it exists from the first start and
 *     cannot log in
 */
public record User(
    String id,
    String username,
    String displayName,
    Optional<String> email,
    boolean active,
    Optional<String> managerId,
    Optional<String> roleId,
    boolean automatedProcess) {
  public User {
    DirectoryIds.check(id, "user id");
    requireNonNull(username, "username is null");
    if (username.isBlank()) {
      throw new IllegalArgumentException("username of user '" + id + "' is blank");
    }
    requireNonNull(displayName, "displayName is null");
    email = email == null ? Optional.empty() : email;
    managerId = managerId == null ? Optional.empty() : managerId;
    roleId = roleId == null ? Optional.empty() : roleId;
  }

  /** An active person with no manager, role or e-mail: a convenience for tests and samples. */
  public static User of(String id, String displayName) {
    return new User(
        id, id, displayName, Optional.empty(), true, Optional.empty(), Optional.empty(), false);
  }

  public User withRole(String role) {
    return new User(
        id, username, displayName, email, active, managerId, Optional.of(role), automatedProcess);
  }

  public User withManager(String manager) {
    return new User(
        id, username, displayName, email, active, Optional.of(manager), roleId, automatedProcess);
  }

  public User withActive(boolean isActive) {
    return new User(
        id, username, displayName, email, isActive, managerId, roleId, automatedProcess);
  }
}

package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.engine.security.ActorPermissions;
import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.security.UserAccess;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Who is who and who may do what (SPEC §7), from the node's index of the directory: asked outside
 * any transaction, it reads the revision only when no read in the last {@code directoryTrust} found
 * the index current ({@link EngineSecurity#index()}). Thread-safe.
 */
public final class AccessService {
  private final EngineSecurity security;
  private final ActorPermissions permissions;

  @Inject
  public AccessService(EngineSecurity security, ActorPermissions permissions) {
    this.security = requireNonNull(security, "security is null");
    this.permissions = requireNonNull(permissions, "permissions is null");
  }

  /** The user with this id, if there is one. */
  public Optional<User> user(String userId) {
    requireNonNull(userId, "userId is null");
    return security.index().user(userId);
  }

  /** The user with this username, if there is one. */
  public Optional<User> userByUsername(String username) {
    requireNonNull(username, "username is null");
    return security.index().userByUsername(username);
  }

  /**
   * Why the user may not sign in (authenticate to an API, get a token), or empty when they may: the
   * automated process user never signs in; an inactive user cannot (SPEC §7). The one statement of
   * the rule: a host translates the reason into its own error (401 for a request, 409 for a token).
   */
  public static Optional<String> signInRefusal(User user) {
    requireNonNull(user, "user is null");
    if (user.automatedProcess()) {
      return Optional.of("the automated process user '" + user.id() + "' cannot sign in");
    }
    if (!user.active()) {
      return Optional.of("user '" + user.id() + "' is inactive and cannot sign in");
    }
    return Optional.empty();
  }

  /**
   * The access facts of a user: permissions, roles, groups.
   *
   * @throws OrchestrionException NOT_FOUND when the user does not exist
   */
  public UserAccess access(String userId) {
    requireNonNull(userId, "userId is null");
    return security.index().access(userId);
  }

  /**
   * Whether the user holds the system permission.
   *
   * @throws OrchestrionException NOT_FOUND when the user does not exist
   */
  public boolean hasPermission(String userId, SystemPermission permission) {
    requireNonNull(permission, "permission is null");
    return access(userId).permissions().has(permission);
  }

  /**
   * Passes when the user is active and holds {@code permission}: the engine's one statement of a
   * system permission's refusal, which a host uses for the endpoints it guards itself.
   *
   * @param action what the user tries to do, for the message ("mint tokens")
   * @throws OrchestrionException PERMISSION_DENIED naming the user, the action and the permission
   */
  public void requirePermission(String userId, SystemPermission permission, String action) {
    requireNonNull(userId, "userId is null");
    permissions.require(userId, permission, action);
  }
}

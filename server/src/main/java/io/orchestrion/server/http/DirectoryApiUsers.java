package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.AccessService;
import io.orchestrion.spi.directory.User;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * {@link ApiUsers} from the engine's directory index, which the node trusts for {@code
 * directoryTrust} after a read of the directory revision found it current (docs/security.md): no
 * transaction per request while it is trusted, a primary-key read of the revision when it is not.
 */
public final class DirectoryApiUsers implements ApiUsers {
  private final AccessService access;

  @Inject
  public DirectoryApiUsers(AccessService access) {
    this.access = requireNonNull(access, "access is null");
  }

  @Override
  public Optional<User> find(String userId) {
    return access.user(userId);
  }
}

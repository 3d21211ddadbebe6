package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.AccessService;
import io.orchestrion.spi.directory.User;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * {@link ApiUsers} from the engine's directory index: one primary-key read of the directory
 * revision per request, the users themselves from the cached index.
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

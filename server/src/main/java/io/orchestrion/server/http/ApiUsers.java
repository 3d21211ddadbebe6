package io.orchestrion.server.http;

import io.orchestrion.spi.directory.User;
import java.util.Optional;

/** Looks up the user a verified token names; the server binds it to the engine's directory. */
@FunctionalInterface
public interface ApiUsers {
  Optional<User> find(String userId);
}

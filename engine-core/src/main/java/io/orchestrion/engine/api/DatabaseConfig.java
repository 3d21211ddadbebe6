package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

/**
 * How to connect to the database.
 *
 * @param username empty for none
 * @param password empty for none
 * @param maxPoolSize the most connections the pool keeps open
 */
public record DatabaseConfig(String jdbcUrl, String username, String password, int maxPoolSize) {
  public static final int DEFAULT_MAX_POOL_SIZE = 16;

  public DatabaseConfig {
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(username, "username is null");
    requireNonNull(password, "password is null");
    if (!jdbcUrl.startsWith("jdbc:")) {
      throw new IllegalArgumentException("jdbcUrl does not start with 'jdbc:': " + jdbcUrl);
    }
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1: " + maxPoolSize);
    }
  }

  @Override
  public String toString() {
    // Never print the password.
    return "DatabaseConfig[jdbcUrl="
        + jdbcUrl
        + ", username="
        + username
        + ", maxPoolSize="
        + maxPoolSize
        + "]";
  }
}

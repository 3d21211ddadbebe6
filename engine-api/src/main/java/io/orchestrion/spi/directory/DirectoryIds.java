package io.orchestrion.spi.directory;

import static java.util.Objects.requireNonNull;

/** The rule for ids of users, roles, groups, queues and permission sets. */
final class DirectoryIds {
  /** Ids are stored in VARCHAR(64) columns, like record owner ids. */
  static final int MAX_LENGTH = 64;

  private DirectoryIds() {}

  static void check(String id, String what) {
    requireNonNull(id, what + " is null");
    if (id.isBlank() || id.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          what + " '" + id + "' must be 1 to " + MAX_LENGTH + " characters, not blank");
    }
  }
}

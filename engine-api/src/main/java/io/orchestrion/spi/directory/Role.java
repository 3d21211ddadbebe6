package io.orchestrion.spi.directory;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A role in the hierarchy: users in a role see and edit the records owned by users in the roles
 * below it (SPEC §7).
 *
 * @param parentRoleId the role directly above; empty for a top role
 */
public record Role(String id, String name, Optional<String> parentRoleId) {
  public Role {
    DirectoryIds.check(id, "role id");
    requireNonNull(name, "name is null");
    parentRoleId = parentRoleId == null ? Optional.empty() : parentRoleId;
    if (parentRoleId.isPresent() && parentRoleId.get().equals(id)) {
      throw new IllegalArgumentException("role '" + id + "' cannot be its own parent");
    }
  }
}

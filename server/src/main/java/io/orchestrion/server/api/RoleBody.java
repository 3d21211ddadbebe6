package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.directory.Role;
import java.util.Optional;

/** The body of {@code PUT /roles/{id}}; no {@code parentRoleId} makes a top role. */
public record RoleBody(Optional<String> id, String name, Optional<String> parentRoleId) {
  public RoleBody {
    id = id == null ? Optional.empty() : id;
    requireNonNull(name, "name is null");
    parentRoleId = parentRoleId == null ? Optional.empty() : parentRoleId;
  }

  Role toRole(String pathId) {
    DirectoryRequests.requireSameId(id, pathId, "Role '" + pathId + "'");
    if (parentRoleId.isPresent() && parentRoleId.get().equals(pathId)) {
      throw DirectoryRequests.invalid(
          "Role '" + pathId + "' is invalid",
          "$.parentRoleId",
          "role '" + pathId + "' cannot be its own parent");
    }
    return new Role(pathId, name, parentRoleId);
  }
}

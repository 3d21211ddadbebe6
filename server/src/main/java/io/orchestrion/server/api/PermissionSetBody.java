package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.directory.FieldPermission;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.SystemPermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code PUT /permission-sets/{id}}: everything the set grants, replacing what it
 * granted before; each kind of permission defaults to none.
 */
public record PermissionSetBody(
    Optional<String> id,
    String name,
    Map<String, Set<ObjectPermission>> objectPermissions,
    Map<String, Map<String, Set<FieldPermission>>> fieldPermissions,
    Set<SystemPermission> systemPermissions) {
  public PermissionSetBody {
    id = id == null ? Optional.empty() : id;
    requireNonNull(name, "name is null");
    objectPermissions = objectPermissions == null ? Map.of() : objectPermissions;
    fieldPermissions = fieldPermissions == null ? Map.of() : fieldPermissions;
    systemPermissions = systemPermissions == null ? Set.of() : copy(systemPermissions, "system");
    // Nulls are refused here, while the body is read, so that they become 400s with a path
    // rather than failures when the permission set is built.
    objectPermissions.forEach((type, granted) -> copy(granted, "object type '" + type + "'"));
    fieldPermissions.forEach(
        (type, byField) -> {
          if (byField == null) {
            throw new IllegalArgumentException(
                "field permissions of object type '" + type + "' must not be null");
          }
          byField.forEach(
              (field, granted) -> copy(granted, "field '" + field + "' of '" + type + "'"));
        });
  }

  private static <T> Set<T> copy(Set<T> granted, String what) {
    if (granted == null || granted.contains(null)) {
      throw new IllegalArgumentException("permissions of " + what + " must not be null");
    }
    return Set.copyOf(granted);
  }

  PermissionSet toPermissionSet(String pathId) {
    DirectoryRequests.requireSameId(id, pathId, "Permission set '" + pathId + "'");
    return new PermissionSet(pathId, name, objectPermissions, fieldPermissions, systemPermissions);
  }
}

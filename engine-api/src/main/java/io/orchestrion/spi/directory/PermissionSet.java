package io.orchestrion.spi.directory;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Permissions granted together to the users it is assigned to. Permission sets only add: a user
 * holds the union of their sets.
 *
 * @param objectPermissions by object type api name
 * @param fieldPermissions by object type api name, then by field name; the field name {@value
 *     #ALL_FIELDS} stands for every field of the object type
 */
public record PermissionSet(
    String id,
    String name,
    Map<String, Set<ObjectPermission>> objectPermissions,
    Map<String, Map<String, Set<FieldPermission>>> fieldPermissions,
    Set<SystemPermission> systemPermissions) {
  public static final String ALL_FIELDS = "*";

  public PermissionSet {
    DirectoryIds.check(id, "permission set id");
    requireNonNull(name, "name is null");
    objectPermissions =
        objectPermissions.entrySet().stream()
            .collect(
                Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Set.copyOf(e.getValue())));
    fieldPermissions =
        fieldPermissions.entrySet().stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    Map.Entry::getKey,
                    e ->
                        e.getValue().entrySet().stream()
                            .collect(
                                Collectors.toUnmodifiableMap(
                                    Map.Entry::getKey, f -> Set.copyOf(f.getValue())))));
    systemPermissions = Set.copyOf(systemPermissions);
  }
}

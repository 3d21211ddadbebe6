package io.orchestrion.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.object.SystemFields;
import io.orchestrion.spi.directory.FieldPermission;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.SystemPermission;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The union of a user's permission sets, with the implications applied once: EDIT, VIEW_ALL and
 * MODIFY_ALL imply READ; MODIFY_ALL implies EDIT, DELETE and VIEW_ALL; VIEW_ALL_DATA implies READ
 * and VIEW_ALL on every object type and READ on every field; MODIFY_ALL_DATA implies every object
 * and field permission. Field EDIT implies READ.
 */
public final class EffectivePermissions {
  private static final EffectivePermissions NONE =
      new EffectivePermissions(Map.of(), Map.of(), Set.of());

  private final Map<String, Set<ObjectPermission>> objects;
  private final Map<String, Map<String, Set<FieldPermission>>> fields;
  private final Set<SystemPermission> system;

  private EffectivePermissions(
      Map<String, Set<ObjectPermission>> objects,
      Map<String, Map<String, Set<FieldPermission>>> fields,
      Set<SystemPermission> system) {
    this.objects = objects;
    this.fields = fields;
    this.system = system;
  }

  public static EffectivePermissions none() {
    return NONE;
  }

  /** The union of {@code sets} plus {@code extraSystem}. */
  public static EffectivePermissions of(
      Collection<PermissionSet> sets, Set<SystemPermission> extraSystem) {
    Map<String, Set<ObjectPermission>> objects = new HashMap<>();
    Map<String, Map<String, Set<FieldPermission>>> fields = new HashMap<>();
    Set<SystemPermission> system = EnumSet.noneOf(SystemPermission.class);
    system.addAll(extraSystem);
    for (PermissionSet set : sets) {
      set.objectPermissions()
          .forEach(
              (type, granted) -> {
                Set<ObjectPermission> held =
                    objects.computeIfAbsent(type, t -> EnumSet.noneOf(ObjectPermission.class));
                held.addAll(granted);
              });
      set.fieldPermissions()
          .forEach(
              (type, byField) ->
                  byField.forEach(
                      (field, granted) -> {
                        Set<FieldPermission> held =
                            fields
                                .computeIfAbsent(type, t -> new HashMap<>())
                                .computeIfAbsent(field, f -> EnumSet.noneOf(FieldPermission.class));
                        held.addAll(granted);
                        if (granted.contains(FieldPermission.EDIT)) {
                          held.add(FieldPermission.READ);
                        }
                      }));
      system.addAll(set.systemPermissions());
    }
    objects.values().forEach(EffectivePermissions::applyObjectImplications);
    Map<String, Map<String, Set<FieldPermission>>> frozenFields = new HashMap<>();
    fields.forEach((type, byField) -> frozenFields.put(type, Map.copyOf(byField)));
    return new EffectivePermissions(
        Map.copyOf(objects), Map.copyOf(frozenFields), Set.copyOf(system));
  }

  private static void applyObjectImplications(Set<ObjectPermission> held) {
    if (held.contains(ObjectPermission.MODIFY_ALL)) {
      held.addAll(
          EnumSet.of(ObjectPermission.EDIT, ObjectPermission.DELETE, ObjectPermission.VIEW_ALL));
    }
    if (held.contains(ObjectPermission.EDIT) || held.contains(ObjectPermission.VIEW_ALL)) {
      held.add(ObjectPermission.READ);
    }
  }

  public boolean has(SystemPermission permission) {
    requireNonNull(permission, "permission is null");
    if (permission == SystemPermission.VIEW_ALL_DATA) {
      return system.contains(permission) || system.contains(SystemPermission.MODIFY_ALL_DATA);
    }
    return system.contains(permission);
  }

  public boolean has(String objectType, ObjectPermission permission) {
    requireNonNull(objectType, "objectType is null");
    requireNonNull(permission, "permission is null");
    if (system.contains(SystemPermission.MODIFY_ALL_DATA)) {
      return true;
    }
    if (system.contains(SystemPermission.VIEW_ALL_DATA)
        && (permission == ObjectPermission.READ || permission == ObjectPermission.VIEW_ALL)) {
      return true;
    }
    return objects.getOrDefault(objectType, Set.of()).contains(permission);
  }

  /** Whether reading every record of the type bypasses sharing (VIEW_ALL, VIEW_ALL_DATA, ...). */
  public boolean viewsAll(String objectType) {
    return has(objectType, ObjectPermission.VIEW_ALL);
  }

  /** Whether editing and deleting every record of the type bypasses sharing. */
  public boolean modifiesAll(String objectType) {
    return has(objectType, ObjectPermission.MODIFY_ALL);
  }

  /** Field-level READ; system fields are always readable. */
  public boolean canRead(String objectType, String field) {
    if (SystemFields.isSystemField(field) || has(SystemPermission.VIEW_ALL_DATA)) {
      return true;
    }
    return fieldPermission(objectType, field, FieldPermission.READ);
  }

  /** Field-level EDIT; the engine maintains the system fields, the owner is a sharing matter. */
  public boolean canEdit(String objectType, String field) {
    if (SystemFields.isSystemField(field)) {
      return SystemFields.isWritable(field);
    }
    if (system.contains(SystemPermission.MODIFY_ALL_DATA)) {
      return true;
    }
    return fieldPermission(objectType, field, FieldPermission.EDIT);
  }

  private boolean fieldPermission(String objectType, String field, FieldPermission permission) {
    Map<String, Set<FieldPermission>> byField = fields.getOrDefault(objectType, Map.of());
    return byField.getOrDefault(field, Set.of()).contains(permission)
        || byField.getOrDefault(PermissionSet.ALL_FIELDS, Set.of()).contains(permission);
  }

  public Set<SystemPermission> systemPermissions() {
    return system;
  }

  @Override
  public String toString() {
    return "EffectivePermissions{objects="
        + objects
        + ", fields="
        + fields
        + ", system="
        + system
        + "}";
  }
}

package io.orchestrion.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.spi.directory.FieldPermission;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.SystemPermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EffectivePermissionsTest {
  private static PermissionSet objects(String id, Set<ObjectPermission> expense) {
    return new PermissionSet(id, id, Map.of("Expense", expense), Map.of(), Set.of());
  }

  @Test
  void setsAddUp() {
    EffectivePermissions permissions =
        EffectivePermissions.of(
            List.of(
                objects("a", Set.of(ObjectPermission.CREATE)),
                objects("b", Set.of(ObjectPermission.DELETE))),
            Set.of());

    assertThat(permissions.has("Expense", ObjectPermission.CREATE)).isTrue();
    assertThat(permissions.has("Expense", ObjectPermission.DELETE)).isTrue();
    assertThat(permissions.has("Expense", ObjectPermission.READ)).isFalse();
    assertThat(permissions.has("Invoice", ObjectPermission.CREATE)).isFalse();
  }

  @Test
  void modifyAllImpliesEditDeleteViewAllAndRead() {
    EffectivePermissions permissions =
        EffectivePermissions.of(
            List.of(objects("a", Set.of(ObjectPermission.MODIFY_ALL))), Set.of());

    for (ObjectPermission implied :
        List.of(
            ObjectPermission.EDIT,
            ObjectPermission.DELETE,
            ObjectPermission.VIEW_ALL,
            ObjectPermission.READ)) {
      assertThat(permissions.has("Expense", implied)).as(implied.name()).isTrue();
    }
    assertThat(permissions.has("Expense", ObjectPermission.CREATE)).isFalse();
    assertThat(permissions.viewsAll("Expense")).isTrue();
    assertThat(permissions.modifiesAll("Expense")).isTrue();
  }

  @Test
  void editAndViewAllImplyRead() {
    assertThat(
            EffectivePermissions.of(List.of(objects("a", Set.of(ObjectPermission.EDIT))), Set.of())
                .has("Expense", ObjectPermission.READ))
        .isTrue();
    EffectivePermissions viewAll =
        EffectivePermissions.of(List.of(objects("a", Set.of(ObjectPermission.VIEW_ALL))), Set.of());
    assertThat(viewAll.has("Expense", ObjectPermission.READ)).isTrue();
    assertThat(viewAll.modifiesAll("Expense")).isFalse();
  }

  @Test
  void viewAllDataReadsEverythingButEditsNothing() {
    EffectivePermissions permissions =
        EffectivePermissions.of(List.of(), Set.of(SystemPermission.VIEW_ALL_DATA));

    assertThat(permissions.viewsAll("Anything")).isTrue();
    assertThat(permissions.canRead("Anything", "Secret")).isTrue();
    assertThat(permissions.has("Anything", ObjectPermission.EDIT)).isFalse();
    assertThat(permissions.canEdit("Anything", "Secret")).isFalse();
  }

  @Test
  void modifyAllDataGrantsEveryObjectAndFieldPermissionAndImpliesViewAllData() {
    EffectivePermissions permissions =
        EffectivePermissions.of(List.of(), Set.of(SystemPermission.MODIFY_ALL_DATA));

    assertThat(permissions.has(SystemPermission.VIEW_ALL_DATA)).isTrue();
    assertThat(permissions.has("Anything", ObjectPermission.CREATE)).isTrue();
    assertThat(permissions.modifiesAll("Anything")).isTrue();
    assertThat(permissions.canEdit("Anything", "Secret")).isTrue();
    assertThat(permissions.has(SystemPermission.MANAGE_USERS)).isFalse();
  }

  @Test
  void fieldEditImpliesReadAndTheWildcardCoversEveryField() {
    PermissionSet set =
        new PermissionSet(
            "f",
            "f",
            Map.of(),
            Map.of(
                "Expense",
                Map.of(
                    "Amount",
                    Set.of(FieldPermission.EDIT),
                    PermissionSet.ALL_FIELDS,
                    Set.of(FieldPermission.READ))),
            Set.of());
    EffectivePermissions permissions = EffectivePermissions.of(List.of(set), Set.of());

    assertThat(permissions.canRead("Expense", "Amount")).isTrue();
    assertThat(permissions.canEdit("Expense", "Amount")).isTrue();
    assertThat(permissions.canRead("Expense", "Notes")).isTrue();
    assertThat(permissions.canEdit("Expense", "Notes")).isFalse();
    assertThat(permissions.canRead("Invoice", "Notes")).isFalse();
  }

  @Test
  void systemFieldsAreReadableAndOnlyTheOwnerIsEditable() {
    EffectivePermissions none = EffectivePermissions.none();

    assertThat(none.canRead("Expense", "Id")).isTrue();
    assertThat(none.canRead("Expense", "CreatedById")).isTrue();
    assertThat(none.canEdit("Expense", "OwnerId")).isTrue();
    assertThat(none.canEdit("Expense", "CreatedById")).isFalse();
    assertThat(none.canRead("Expense", "Amount")).isFalse();
  }
}

package io.orchestrion.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.SharingModel;
import io.orchestrion.spi.AccessFilter;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.RecordShare;
import io.orchestrion.spi.directory.ShareAccess;
import io.orchestrion.spi.directory.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessDecisionsTest {
  private static final ObjectTypeDefinition PRIVATE =
      new ObjectTypeDefinition("Expense", SharingModel.PRIVATE, List.of());
  private static final ObjectTypeDefinition PUBLIC_READ =
      new ObjectTypeDefinition("Expense", SharingModel.PUBLIC_READ, List.of());
  private static final ObjectTypeDefinition PUBLIC_READ_WRITE =
      new ObjectTypeDefinition("Expense", SharingModel.PUBLIC_READ_WRITE, List.of());

  private final DirectoryIndex index =
      DirectoryIndex.build(
          new TestingDirectory()
              .role("manager", null)
              .role("clerk", "manager")
              .user(User.of("maria", "Maria").withRole("manager"))
              .user(User.of("clara", "Clara").withRole("clerk"))
              .user(User.of("sam", "Sam"))
              .user(User.of("gina", "Gina"))
              .user(User.of("ulla", "Ulla"))
              .user(User.of("viv", "Viv"))
              .user(User.of("mod", "Mod"))
              .group(new PublicGroup("auditors", "Auditors", List.of(GroupMember.user("gina"))))
              .permissionSet(
                  new PermissionSet(
                      "view-all",
                      "View all",
                      Map.of("Expense", Set.of(ObjectPermission.VIEW_ALL)),
                      Map.of(),
                      Set.of()),
                  "viv")
              .permissionSet(
                  new PermissionSet(
                      "modify-all",
                      "Modify all",
                      Map.of("Expense", Set.of(ObjectPermission.MODIFY_ALL)),
                      Map.of(),
                      Set.of()),
                  "mod"));

  private static final List<RecordShare> SHARES =
      List.of(
          new RecordShare("Expense", "r1", RecordShare.GranteeType.USER, "sam", ShareAccess.EDIT),
          new RecordShare(
              "Expense", "r1", RecordShare.GranteeType.GROUP, "auditors", ShareAccess.READ),
          new RecordShare("Invoice", "r1", RecordShare.GranteeType.USER, "ulla", ShareAccess.EDIT));

  private RecordAccess access(String user, ObjectTypeDefinition type) {
    return AccessDecisions.recordAccess(index.access(user), type, "clara", SHARES);
  }

  @Test
  void privateRecordsByRelation() {
    assertThat(access("clara", PRIVATE)).as("owner").isEqualTo(RecordAccess.FULL);
    assertThat(access("maria", PRIVATE)).as("above the owner").isEqualTo(RecordAccess.FULL);
    assertThat(access("sam", PRIVATE)).as("EDIT share to the user").isEqualTo(RecordAccess.EDIT);
    assertThat(access("gina", PRIVATE)).as("READ share to a group").isEqualTo(RecordAccess.READ);
    assertThat(access("ulla", PRIVATE))
        .as("a share of another object type does not count")
        .isEqualTo(RecordAccess.NONE);
    assertThat(access("viv", PRIVATE)).as("VIEW_ALL").isEqualTo(RecordAccess.READ);
    assertThat(access("mod", PRIVATE)).as("MODIFY_ALL").isEqualTo(RecordAccess.FULL);
  }

  @Test
  void orgWideDefaultsSetTheBaseline() {
    assertThat(access("ulla", PUBLIC_READ)).isEqualTo(RecordAccess.READ);
    assertThat(access("ulla", PUBLIC_READ_WRITE)).isEqualTo(RecordAccess.EDIT);
    assertThat(access("sam", PUBLIC_READ))
        .as("a share raises the default")
        .isEqualTo(RecordAccess.EDIT);
    assertThat(access("gina", PUBLIC_READ_WRITE))
        .as("a READ share never lowers the default")
        .isEqualTo(RecordAccess.EDIT);
  }

  @Test
  void recordAccessAllowsOperationsByLevel() {
    assertThat(RecordAccess.READ.allows(RecordOperation.READ)).isTrue();
    assertThat(RecordAccess.READ.allows(RecordOperation.EDIT)).isFalse();
    assertThat(RecordAccess.EDIT.allows(RecordOperation.EDIT)).isTrue();
    assertThat(RecordAccess.EDIT.allows(RecordOperation.DELETE)).isFalse();
    assertThat(RecordAccess.FULL.allows(RecordOperation.DELETE)).isTrue();
    assertThat(RecordAccess.NONE.allows(RecordOperation.READ)).isFalse();
  }

  @Test
  void sharingFilterIsEmptyWhenNothingIsToFilter() {
    SecurityContext user = new SecurityContext("ulla", RunMode.USER);
    SecurityContext withoutSharing = new SecurityContext("ulla", RunMode.SYSTEM_WITHOUT_SHARING);

    assertThat(
            AccessDecisions.sharingFilter(
                withoutSharing, index.access("ulla"), PRIVATE, RecordOperation.DELETE))
        .isEmpty();
    assertThat(
            AccessDecisions.sharingFilter(
                user, index.access("ulla"), PUBLIC_READ, RecordOperation.READ))
        .isEmpty();
    assertThat(
            AccessDecisions.sharingFilter(
                user, index.access("ulla"), PUBLIC_READ_WRITE, RecordOperation.EDIT))
        .isEmpty();
    assertThat(
            AccessDecisions.sharingFilter(
                new SecurityContext("viv", RunMode.USER),
                index.access("viv"),
                PRIVATE,
                RecordOperation.READ))
        .isEmpty();
    assertThat(
            AccessDecisions.sharingFilter(
                new SecurityContext("mod", RunMode.USER),
                index.access("mod"),
                PRIVATE,
                RecordOperation.DELETE))
        .isEmpty();
  }

  @Test
  void sharingFilterNamesOwnersGroupsRoleAndShareLevels() {
    SecurityContext context = new SecurityContext("maria", RunMode.SYSTEM_WITH_SHARING);
    UserAccess maria = index.access("maria");

    AccessFilter read =
        AccessDecisions.sharingFilter(context, maria, PRIVATE, RecordOperation.READ).orElseThrow();
    assertThat(read.ownerIds()).containsExactlyInAnyOrder("maria", "clara");
    assertThat(read.roleId()).contains("manager");
    assertThat(read.shareAccess()).containsExactlyInAnyOrder(ShareAccess.READ, ShareAccess.EDIT);
    assertThat(
            AccessDecisions.sharingFilter(context, maria, PUBLIC_READ, RecordOperation.EDIT)
                .orElseThrow()
                .shareAccess())
        .containsExactly(ShareAccess.EDIT);
    assertThat(
            AccessDecisions.sharingFilter(context, maria, PUBLIC_READ_WRITE, RecordOperation.DELETE)
                .orElseThrow()
                .shareAccess())
        .as("deleting needs ownership whatever the default")
        .isEmpty();
  }

  @Test
  void objectPermissionsAreCheckedInUserModeOnly() {
    UserAccess ulla = index.access("ulla");

    assertThatThrownBy(
            () ->
                AccessDecisions.checkObject(
                    new SecurityContext("ulla", RunMode.USER),
                    ulla,
                    "Expense",
                    RecordOperation.CREATE))
        .isInstanceOf(OrchestrionException.class)
        .hasMessage(
            "insufficient access: user 'ulla' (run mode USER) has no CREATE permission on object"
                + " type 'Expense'")
        .satisfies(
            e ->
                assertThat(((OrchestrionException) e).getErrorCode())
                    .isEqualTo(StandardErrorCode.INSUFFICIENT_ACCESS.toErrorCode()));
    assertThatCode(
            () ->
                AccessDecisions.checkObject(
                    new SecurityContext("ulla", RunMode.SYSTEM_WITH_SHARING),
                    ulla,
                    "Expense",
                    RecordOperation.CREATE))
        .doesNotThrowAnyException();
  }

  @Test
  void fieldSecurityIsCheckedInUserModeOnly() {
    UserAccess ulla = index.access("ulla");
    SecurityContext user = new SecurityContext("ulla", RunMode.USER);

    assertThatThrownBy(() -> AccessDecisions.checkField(user, ulla, "Expense", "Amount", true))
        .hasMessageContaining("may not edit field 'Amount' of object type 'Expense'");
    assertThat(AccessDecisions.canReadField(user, ulla, "Expense", "Amount")).isFalse();
    assertThat(
            AccessDecisions.canReadField(
                new SecurityContext("ulla", RunMode.SYSTEM_WITH_SHARING),
                ulla,
                "Expense",
                "Amount"))
        .isTrue();
    assertThat(AccessDecisions.canEditField(user, ulla, "Expense", "OwnerId")).isTrue();
    assertThat(Optional.of(AccessDecisions.checksSharing(user))).contains(true);
  }
}

package io.orchestrion.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.SharingModel;
import io.orchestrion.spi.AccessFilter;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.RecordShare;
import io.orchestrion.spi.directory.ShareAccess;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The access decisions of SPEC §7, as pure functions of the running context, the user's access
 * facts and the record's metadata. Which checks apply depends on the run mode:
 *
 * <table>
 *   <caption>Checks by run mode</caption>
 *   <tr><th>Mode</th><th>Object permissions</th><th>Field-level security</th><th>Sharing</th></tr>
 *   <tr><td>USER</td><td>yes</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>SYSTEM_WITH_SHARING</td><td>no</td><td>no</td><td>yes</td></tr>
 *   <tr><td>SYSTEM_WITHOUT_SHARING</td><td>no</td><td>no</td><td>no</td></tr>
 * </table>
 */
public final class AccessDecisions {
  private static final Set<ShareAccess> READ_SHARES = EnumSet.allOf(ShareAccess.class);
  private static final Set<ShareAccess> EDIT_SHARES = EnumSet.of(ShareAccess.EDIT);

  private AccessDecisions() {}

  public static boolean checksPermissions(SecurityContext context) {
    return context.effectiveMode() == RunMode.USER;
  }

  public static boolean checksSharing(SecurityContext context) {
    return context.effectiveMode() != RunMode.SYSTEM_WITHOUT_SHARING;
  }

  /**
   * Refuses an operation the user's object permissions do not allow, in USER mode only.
   *
   * @throws OrchestrionException INSUFFICIENT_ACCESS naming user, mode, object and permission
   */
  public static void checkObject(
      SecurityContext context, UserAccess user, String objectType, RecordOperation operation) {
    if (!checksPermissions(context)) {
      return;
    }
    ObjectPermission needed =
        switch (operation) {
          case READ -> ObjectPermission.READ;
          case CREATE -> ObjectPermission.CREATE;
          case EDIT -> ObjectPermission.EDIT;
          case DELETE -> ObjectPermission.DELETE;
        };
    if (!user.permissions().has(objectType, needed)) {
      throw denied(context, "has no " + needed + " permission on object type '" + objectType + "'");
    }
  }

  /**
   * The sharing filter for {@code operation} on records of {@code type}; empty when every record
   * passes: the mode ignores sharing, the org-wide default grants the access, or the user bypasses
   * sharing (VIEW_ALL/MODIFY_ALL on the object, VIEW_ALL_DATA/MODIFY_ALL_DATA).
   */
  public static Optional<AccessFilter> sharingFilter(
      SecurityContext context,
      UserAccess user,
      ObjectTypeDefinition type,
      RecordOperation operation) {
    if (!checksSharing(context)) {
      return Optional.empty();
    }
    String objectType = type.apiName();
    SharingModel sharing = type.sharing();
    EffectivePermissions permissions = user.permissions();
    return switch (operation) {
      case READ ->
          permissions.viewsAll(objectType) || sharing != SharingModel.PRIVATE
              ? Optional.empty()
              : Optional.of(user.filter(READ_SHARES));
      case EDIT, CREATE ->
          permissions.modifiesAll(objectType) || sharing == SharingModel.PUBLIC_READ_WRITE
              ? Optional.empty()
              : Optional.of(user.filter(EDIT_SHARES));
      case DELETE ->
          permissions.modifiesAll(objectType)
              ? Optional.empty()
              : Optional.of(user.filter(Set.of()));
    };
  }

  /**
   * The access {@code user} has to one record through sharing alone (object permissions and run
   * modes aside): the same rule the store applies in SQL through {@link #sharingFilter}.
   */
  public static RecordAccess recordAccess(
      UserAccess user, ObjectTypeDefinition type, String ownerId, Collection<RecordShare> shares) {
    requireNonNull(ownerId, "ownerId is null");
    String objectType = type.apiName();
    if (user.permissions().modifiesAll(objectType) || user.ownerScope().contains(ownerId)) {
      return RecordAccess.FULL;
    }
    RecordAccess access =
        switch (type.sharing()) {
          case PRIVATE -> RecordAccess.NONE;
          case PUBLIC_READ -> RecordAccess.READ;
          case PUBLIC_READ_WRITE -> RecordAccess.EDIT;
        };
    if (access == RecordAccess.NONE && user.permissions().viewsAll(objectType)) {
      access = RecordAccess.READ;
    }
    for (RecordShare share : shares) {
      if (!share.objectType().equals(objectType) || !reaches(user, share)) {
        continue;
      }
      RecordAccess granted =
          share.access() == ShareAccess.EDIT ? RecordAccess.EDIT : RecordAccess.READ;
      if (granted.compareTo(access) > 0) {
        access = granted;
      }
    }
    return access;
  }

  private static boolean reaches(UserAccess user, RecordShare share) {
    return switch (share.granteeType()) {
      case USER -> share.granteeId().equals(user.userId());
      case GROUP -> user.groupIds().contains(share.granteeId());
      case ROLE -> user.user().roleId().map(share.granteeId()::equals).orElse(false);
    };
  }

  /**
   * Refuses reading or writing a field that field-level security hides, in USER mode only.
   *
   * @param write whether the field is written (EDIT) rather than read
   */
  public static void checkField(
      SecurityContext context, UserAccess user, String objectType, String field, boolean write) {
    if (!checksPermissions(context)) {
      return;
    }
    boolean allowed =
        write
            ? user.permissions().canEdit(objectType, field)
            : user.permissions().canRead(objectType, field);
    if (!allowed) {
      throw denied(
          context,
          "may not "
              + (write ? "edit" : "read")
              + " field '"
              + field
              + "' of object type '"
              + objectType
              + "' (field-level security)");
    }
  }

  /** Whether field-level security lets the user read the field (always, outside USER mode). */
  public static boolean canReadField(
      SecurityContext context, UserAccess user, String objectType, String field) {
    return !checksPermissions(context) || user.permissions().canRead(objectType, field);
  }

  /** Whether field-level security lets the user edit the field (always, outside USER mode). */
  public static boolean canEditField(
      SecurityContext context, UserAccess user, String objectType, String field) {
    return !checksPermissions(context) || user.permissions().canEdit(objectType, field);
  }

  /** An INSUFFICIENT_ACCESS error: "user 'x' (run mode USER) " + {@code what}. */
  public static OrchestrionException denied(SecurityContext context, String what) {
    return new OrchestrionException(
        StandardErrorCode.INSUFFICIENT_ACCESS,
        "insufficient access: user '"
            + context.userId()
            + "' (run mode "
            + context.effectiveMode()
            + ") "
            + what);
  }
}

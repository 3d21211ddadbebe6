package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.engine.AccessService;
import io.orchestrion.engine.ObjectTypeService;
import io.orchestrion.engine.RecordService;
import io.orchestrion.security.AccessDecisions;
import io.orchestrion.security.RecordAccess;
import io.orchestrion.security.UserAccess;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.Permissions;
import io.orchestrion.spi.directory.SystemPermission;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Who may call the directory and record share endpoints (issue #4): the directory needs
 * MANAGE_USERS; the shares of a record need MANAGE_USERS or full access to the record (its owner, a
 * user above the owner in the role hierarchy, or MODIFY_ALL on its object type or MODIFY_ALL_DATA).
 * Decisions read the directory index of the current revision, so a permission taken away applies to
 * the next request; who holds which system permission is {@link Permissions}' answer (the caller is
 * an active user: authentication refuses others).
 */
public final class DirectoryAccess {
  private final AccessService access;
  private final Permissions permissions;
  private final RecordService records;
  private final ObjectTypeService objectTypes;

  @Inject
  public DirectoryAccess(
      AccessService access,
      Permissions permissions,
      RecordService records,
      ObjectTypeService objectTypes) {
    this.access = requireNonNull(access, "access is null");
    this.permissions = requireNonNull(permissions, "permissions is null");
    this.records = requireNonNull(records, "records is null");
    this.objectTypes = requireNonNull(objectTypes, "objectTypes is null");
  }

  /**
   * @throws OrchestrionException PERMISSION_DENIED (403) unless the caller holds MANAGE_USERS
   */
  public void requireManageUsers(RoutingContext context) {
    String userId = AuthenticatedUser.of(context).userId();
    if (!permissions.has(userId, SystemPermission.MANAGE_USERS)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "user '"
              + userId
              + "' needs MANAGE_USERS for "
              + context.request().method()
              + " "
              + context.request().path());
    }
  }

  /**
   * Checks that the caller may read and change the shares of a record.
   *
   * @throws OrchestrionException NOT_FOUND (404) when the record does not exist, PERMISSION_DENIED
   *     (403) when the caller has neither MANAGE_USERS nor full access to the record
   */
  public void requireShareManager(RoutingContext context, String objectType, String recordId) {
    String userId = AuthenticatedUser.of(context).userId();
    // The record first: sharing a record that does not exist is a 404 for everyone, as for the
    // record endpoints (docs/security.md: a denied record that does not exist is NOT_FOUND).
    RecordData record = records.get(objectType, recordId);
    if (permissions.has(userId, SystemPermission.MANAGE_USERS)
        || hasFullAccess(access.access(userId), objectType, record)) {
      return;
    }
    throw new OrchestrionException(
        StandardErrorCode.PERMISSION_DENIED,
        "user '"
            + userId
            + "' needs MANAGE_USERS, ownership of record '"
            + recordId
            + "' of '"
            + objectType
            + "' (directly or through the role hierarchy), or MODIFY_ALL on '"
            + objectType
            + "' to manage the record's shares");
  }

  private boolean hasFullAccess(UserAccess caller, String objectType, RecordData record) {
    Optional<ObjectTypeDefinition> type = objectTypes.find(objectType);
    Optional<String> owner = record.get(SystemFields.OWNER_ID).map(String::valueOf);
    if (type.isEmpty() || owner.isEmpty()) {
      return false;
    }
    // Shares never give FULL access (at most EDIT), so they need not be read for this decision.
    return AccessDecisions.recordAccess(caller, type.get(), owner.get(), List.of())
        == RecordAccess.FULL;
  }
}

package io.orchestrion.engine.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.security.AccessDecisions;
import io.orchestrion.security.RecordAccess;
import io.orchestrion.security.UserAccess;
import io.orchestrion.spi.RecordStore;
import io.orchestrion.spi.directory.SystemPermission;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Who may read and change the explicit shares of a record (SPEC §7, docs/security.md): a user with
 * MANAGE_USERS, or with full access to the record (its owner, a user above the owner in the role
 * hierarchy, or MODIFY_ALL on its object type or MODIFY_ALL_DATA). Decisions read the directory
 * index of the current revision through the caller's transaction. Thread-safe.
 */
public final class ShareManagers {
  private final EngineSecurity security;
  private final ObjectTypeStore objectTypes;

  @Inject
  public ShareManagers(EngineSecurity security, ObjectTypeStore objectTypes) {
    this.security = requireNonNull(security, "security is null");
    this.objectTypes = requireNonNull(objectTypes, "objectTypes is null");
  }

  /**
   * Passes when {@code userId} may manage the shares of the record, read with {@code records} (the
   * command's store, bound to {@code tx}).
   *
   * @throws OrchestrionException NOT_FOUND when the record does not exist (for everyone, as for the
   *     record endpoints), PERMISSION_DENIED when the user has neither MANAGE_USERS nor full access
   *     to the record
   */
  public void require(
      Transaction tx, RecordStore records, String userId, String objectType, String recordId) {
    requireNonNull(userId, "userId is null");
    RecordData record =
        records
            .find(objectType, recordId)
            .orElseThrow(
                () ->
                    OrchestrionException.notFound("Record " + objectType + " '" + recordId + "'"));
    UserAccess caller = security.access(tx, userId);
    if (caller.permissions().has(SystemPermission.MANAGE_USERS)
        || hasFullAccess(tx, caller, objectType, record)) {
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

  private boolean hasFullAccess(
      Transaction tx, UserAccess caller, String objectType, RecordData record) {
    Optional<ObjectTypeDefinition> type = objectTypes.find(tx, objectType);
    Optional<String> owner = record.get(SystemFields.OWNER_ID).map(String::valueOf);
    if (type.isEmpty() || owner.isEmpty()) {
      return false;
    }
    // Shares never give FULL access (at most EDIT), so they need not be read for this decision.
    return AccessDecisions.recordAccess(caller, type.get(), owner.get(), List.of())
        == RecordAccess.FULL;
  }
}

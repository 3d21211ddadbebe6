package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.directory.RecordShare;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The routes of the directory (users, roles, public groups, queues, permission sets and their
 * assignments) and of record shares (SPEC §7, issue #4), added to the {@code /api/v1} route table
 * by {@link ApiRoutes}. Every directory route needs MANAGE_USERS, except a user's delegation, which
 * the user themself may manage too (issue #15); the share routes need MANAGE_USERS or full access
 * to the record ({@link DirectoryAccess}). Documented in openapi.yaml.
 */
public final class DirectoryRoutes {
  private static final String PREFIX = ApiRoutes.PREFIX;

  private final ListUsersHandler listUsers;
  private final GetUserHandler getUser;
  private final PutUserHandler putUser;
  private final GetDelegationHandler getDelegation;
  private final PutDelegationHandler putDelegation;
  private final DeleteDelegationHandler deleteDelegation;
  private final ListRolesHandler listRoles;
  private final PutRoleHandler putRole;
  private final ListGroupsHandler listGroups;
  private final PutGroupHandler putGroup;
  private final DeleteGroupHandler deleteGroup;
  private final ListQueuesHandler listQueues;
  private final PutQueueHandler putQueue;
  private final DeleteQueueHandler deleteQueue;
  private final ListPermissionSetsHandler listPermissionSets;
  private final PutPermissionSetHandler putPermissionSet;
  private final AssignPermissionSetHandler assignPermissionSet;
  private final UnassignPermissionSetHandler unassignPermissionSet;
  private final ListRecordSharesHandler listRecordShares;
  private final ShareRecordHandler shareRecord;
  private final UnshareRecordHandler unshareRecord;

  @Inject
  public DirectoryRoutes(
      ListUsersHandler listUsers,
      GetUserHandler getUser,
      PutUserHandler putUser,
      GetDelegationHandler getDelegation,
      PutDelegationHandler putDelegation,
      DeleteDelegationHandler deleteDelegation,
      ListRolesHandler listRoles,
      PutRoleHandler putRole,
      ListGroupsHandler listGroups,
      PutGroupHandler putGroup,
      DeleteGroupHandler deleteGroup,
      ListQueuesHandler listQueues,
      PutQueueHandler putQueue,
      DeleteQueueHandler deleteQueue,
      ListPermissionSetsHandler listPermissionSets,
      PutPermissionSetHandler putPermissionSet,
      AssignPermissionSetHandler assignPermissionSet,
      UnassignPermissionSetHandler unassignPermissionSet,
      ListRecordSharesHandler listRecordShares,
      ShareRecordHandler shareRecord,
      UnshareRecordHandler unshareRecord) {
    this.listUsers = requireNonNull(listUsers, "listUsers is null");
    this.getUser = requireNonNull(getUser, "getUser is null");
    this.putUser = requireNonNull(putUser, "putUser is null");
    this.getDelegation = requireNonNull(getDelegation, "getDelegation is null");
    this.putDelegation = requireNonNull(putDelegation, "putDelegation is null");
    this.deleteDelegation = requireNonNull(deleteDelegation, "deleteDelegation is null");
    this.listRoles = requireNonNull(listRoles, "listRoles is null");
    this.putRole = requireNonNull(putRole, "putRole is null");
    this.listGroups = requireNonNull(listGroups, "listGroups is null");
    this.putGroup = requireNonNull(putGroup, "putGroup is null");
    this.deleteGroup = requireNonNull(deleteGroup, "deleteGroup is null");
    this.listQueues = requireNonNull(listQueues, "listQueues is null");
    this.putQueue = requireNonNull(putQueue, "putQueue is null");
    this.deleteQueue = requireNonNull(deleteQueue, "deleteQueue is null");
    this.listPermissionSets = requireNonNull(listPermissionSets, "listPermissionSets is null");
    this.putPermissionSet = requireNonNull(putPermissionSet, "putPermissionSet is null");
    this.assignPermissionSet = requireNonNull(assignPermissionSet, "assignPermissionSet is null");
    this.unassignPermissionSet =
        requireNonNull(unassignPermissionSet, "unassignPermissionSet is null");
    this.listRecordShares = requireNonNull(listRecordShares, "listRecordShares is null");
    this.shareRecord = requireNonNull(shareRecord, "shareRecord is null");
    this.unshareRecord = requireNonNull(unshareRecord, "unshareRecord is null");
  }

  public void addRoutes(Router router) {
    router.get(PREFIX + "/users").handler(listUsers);
    router.get(PREFIX + "/users/:id").handler(getUser);
    router.put(PREFIX + "/users/:id").handler(putUser);
    router.get(PREFIX + "/users/:id/delegation").handler(getDelegation);
    router.put(PREFIX + "/users/:id/delegation").handler(putDelegation);
    router.delete(PREFIX + "/users/:id/delegation").handler(deleteDelegation);
    router.put(PREFIX + "/users/:id/permission-sets/:setId").handler(assignPermissionSet);
    router.delete(PREFIX + "/users/:id/permission-sets/:setId").handler(unassignPermissionSet);

    router.get(PREFIX + "/roles").handler(listRoles);
    router.put(PREFIX + "/roles/:id").handler(putRole);

    router.get(PREFIX + "/groups").handler(listGroups);
    router.put(PREFIX + "/groups/:id").handler(putGroup);
    router.delete(PREFIX + "/groups/:id").handler(deleteGroup);

    router.get(PREFIX + "/queues").handler(listQueues);
    router.put(PREFIX + "/queues/:id").handler(putQueue);
    router.delete(PREFIX + "/queues/:id").handler(deleteQueue);

    router.get(PREFIX + "/permission-sets").handler(listPermissionSets);
    router.put(PREFIX + "/permission-sets/:id").handler(putPermissionSet);

    router.get(PREFIX + "/records/:objectType/:id/shares").handler(listRecordShares);
    router.post(PREFIX + "/records/:objectType/:id/shares").handler(shareRecord);
    router
        .delete(PREFIX + "/records/:objectType/:id/shares/:granteeType/:granteeId")
        .handler(unshareRecord);
  }

  /** Where one share lives: a share is identified by its record and its grantee. */
  static String sharePath(
      String objectType, String recordId, RecordShare.GranteeType granteeType, String granteeId) {
    return ApiRoutes.recordPath(objectType, recordId)
        + "/shares/"
        + granteeType.name()
        + "/"
        + URLEncoder.encode(granteeId, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

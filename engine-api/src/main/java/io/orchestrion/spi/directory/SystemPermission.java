package io.orchestrion.spi.directory;

/** Permissions that are not about one object type. */
public enum SystemPermission {
  /** Deploy and activate flows, orchestrations and object types. */
  MANAGE_DEFINITIONS,
  /** Suspend, resume, retry and cancel runs, publish events, see every run. */
  MANAGE_RUNS,
  /** Decide and reassign any work item. */
  APPROVAL_ADMIN,
  /** Read every record and field of every object type, whatever the sharing. */
  VIEW_ALL_DATA,
  /** Create, read, edit and delete every record and field, whatever the sharing. */
  MODIFY_ALL_DATA,
  /** Manage the directory (users, roles, groups, queues, permission sets) and record shares. */
  MANAGE_USERS,
  /** Mint bearer tokens for other users through the API ({@code POST /api/v1/tokens}). */
  MANAGE_TOKENS,
  /** Create, change and delete webhook subscriptions and re-drive their deliveries. */
  MANAGE_WEBHOOKS
}

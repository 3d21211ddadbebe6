-- The user directory (SPEC §7) and explicit record shares. See docs/security.md.
-- Ids are VARCHAR(64), like record owner ids.

-- One row: bumped in the same transaction as every directory change, so that every node can tell
-- cheaply (one primary-key read) whether its in-memory index of the directory is still current.
CREATE TABLE directory_revision (
  id       INT NOT NULL PRIMARY KEY,
  revision BIGINT NOT NULL
);
INSERT INTO directory_revision (id, revision) VALUES (1, 1);

CREATE TABLE directory_roles (
  id             VARCHAR(64) NOT NULL PRIMARY KEY,
  name           VARCHAR(255) NOT NULL,
  parent_role_id VARCHAR(64)
);

CREATE TABLE directory_users (
  id                 VARCHAR(64) NOT NULL PRIMARY KEY,
  username           VARCHAR(255) NOT NULL,
  display_name       VARCHAR(255) NOT NULL,
  email              VARCHAR(320),
  active             BOOLEAN NOT NULL,
  manager_id         VARCHAR(64),
  role_id            VARCHAR(64),
  automated_process  BOOLEAN NOT NULL,
  updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT uq_directory_users_username UNIQUE (username)
);

-- Public groups and queues share one id space: a share to a GROUP grantee reaches either.
CREATE TABLE directory_groups (
  id   VARCHAR(64) NOT NULL PRIMARY KEY,
  kind VARCHAR(10) NOT NULL,  -- GROUP | QUEUE
  name VARCHAR(255) NOT NULL
);

CREATE TABLE directory_group_members (
  group_id    VARCHAR(64) NOT NULL,
  member_type VARCHAR(30) NOT NULL,  -- USER | ROLE | ROLE_AND_SUBORDINATES | GROUP
  member_id   VARCHAR(64) NOT NULL,
  position    INT NOT NULL,
  CONSTRAINT pk_directory_group_members PRIMARY KEY (group_id, member_type, member_id)
);

CREATE TABLE directory_queue_object_types (
  queue_id    VARCHAR(64) NOT NULL,
  object_type VARCHAR(40) NOT NULL,
  CONSTRAINT pk_directory_queue_object_types PRIMARY KEY (queue_id, object_type)
);

CREATE TABLE directory_permission_sets (
  id   VARCHAR(64) NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL
);

-- One row per granted permission: scope OBJECT (target = object type), FIELD (target = object
-- type, field = field name or *), SYSTEM (target and field empty).
CREATE TABLE directory_permission_grants (
  permission_set_id VARCHAR(64) NOT NULL,
  scope             VARCHAR(10) NOT NULL,
  target            VARCHAR(40) NOT NULL,
  field             VARCHAR(40) NOT NULL,
  permission        VARCHAR(30) NOT NULL,
  CONSTRAINT pk_directory_permission_grants
    PRIMARY KEY (permission_set_id, scope, target, field, permission)
);

CREATE TABLE directory_assignments (
  user_id           VARCHAR(64) NOT NULL,
  permission_set_id VARCHAR(64) NOT NULL,
  CONSTRAINT pk_directory_assignments PRIMARY KEY (user_id, permission_set_id)
);

-- Explicit shares of records. The sharing filter of record queries reads this table:
--   id IN (SELECT record_id FROM record_shares WHERE object_type = ? AND access_level IN (...)
--          AND (grantee_type = 'USER' AND grantee_id = ? OR grantee_type = 'GROUP' AND ... ))
-- so the index leads with (object_type, grantee_type, grantee_id).
CREATE TABLE record_shares (
  object_type  VARCHAR(40) NOT NULL,
  record_id    VARCHAR(36) NOT NULL,
  grantee_type VARCHAR(10) NOT NULL,  -- USER | GROUP | ROLE
  grantee_id   VARCHAR(64) NOT NULL,
  access_level VARCHAR(10) NOT NULL,  -- READ | EDIT
  created_by   VARCHAR(64) NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT pk_record_shares PRIMARY KEY (object_type, record_id, grantee_type, grantee_id)
);
CREATE INDEX ix_record_shares_grantee ON record_shares (object_type, grantee_type, grantee_id, record_id);

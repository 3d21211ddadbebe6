-- One row: set to a new random value in the same transaction as every change of which definition
-- version is active (activate, deactivate), so that every node can tell with the directory revision,
-- in the same read, whether its cache of active versions is still current (docs/persistence.md).
CREATE TABLE definition_revision (
  id       INT NOT NULL PRIMARY KEY,
  revision BIGINT NOT NULL
);
INSERT INTO definition_revision (id, revision) VALUES (1, 1);

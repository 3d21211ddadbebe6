package io.orchestrion.server.api;

import io.orchestrion.engine.testing.TestDatabaseKind;

/** The full path over HTTP on PostgreSQL (embedded server, no installation needed). */
class FullPathPostgresIT extends FullPathContract {
  @Override
  TestDatabaseKind databaseKind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}

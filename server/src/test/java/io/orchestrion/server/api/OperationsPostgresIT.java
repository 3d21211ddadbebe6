package io.orchestrion.server.api;

import io.orchestrion.engine.testing.TestDatabaseKind;

/** What operators and integrators need (issue 10), on PostgreSQL (embedded server). */
class OperationsPostgresIT extends OperationsContract {
  @Override
  TestDatabaseKind databaseKind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}

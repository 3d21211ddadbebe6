package io.orchestrion.server.api;

import io.orchestrion.engine.testing.TestDatabaseKind;

/** The expense example over HTTP with real users and tokens, on PostgreSQL (embedded server). */
class ExpenseApprovalHttpPostgresIT extends ExpenseApprovalHttpContract {
  @Override
  TestDatabaseKind databaseKind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}

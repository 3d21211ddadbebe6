package io.orchestrion.server.api;

import io.orchestrion.engine.testing.TestDatabaseKind;

/** The expense example over HTTP with real users and tokens, on the embedded H2 database. */
class ExpenseApprovalHttpIT extends ExpenseApprovalHttpContract {
  @Override
  TestDatabaseKind databaseKind() {
    return TestDatabaseKind.H2;
  }
}

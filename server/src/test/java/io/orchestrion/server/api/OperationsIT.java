package io.orchestrion.server.api;

import io.orchestrion.engine.testing.TestDatabaseKind;

/** What operators and integrators need (issue 10), on the embedded H2 database. */
class OperationsIT extends OperationsContract {
  @Override
  TestDatabaseKind databaseKind() {
    return TestDatabaseKind.H2;
  }
}

package io.orchestrion.server.api;

import io.orchestrion.engine.testing.TestDatabaseKind;

/** The full path over HTTP on the embedded H2 file database. */
class FullPathH2IT extends FullPathContract {
  @Override
  TestDatabaseKind databaseKind() {
    return TestDatabaseKind.H2;
  }
}

package io.orchestrion.engine.security;

import io.orchestrion.engine.testing.TestDatabaseKind;

class CallerAccessPostgresIT extends CallerAccessContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}

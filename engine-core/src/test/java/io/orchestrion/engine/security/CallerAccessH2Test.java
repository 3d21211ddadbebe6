package io.orchestrion.engine.security;

import io.orchestrion.engine.testing.TestDatabaseKind;

class CallerAccessH2Test extends CallerAccessContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }
}

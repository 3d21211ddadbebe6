package io.orchestrion.engine.run;

import io.orchestrion.engine.testing.TestDatabaseKind;

class IdempotencyKeysH2Test extends IdempotencyKeysContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }
}

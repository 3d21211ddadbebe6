package io.orchestrion.engine.run;

import io.orchestrion.engine.testing.TestDatabaseKind;

class IdempotencyKeysPostgresIT extends IdempotencyKeysContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}

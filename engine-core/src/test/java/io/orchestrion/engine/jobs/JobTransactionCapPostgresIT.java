package io.orchestrion.engine.jobs;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class JobTransactionCapPostgresIT extends JobTransactionCapContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.postgres();
  }

  @Override
  protected int expectedDefaultCap() {
    return Runtime.getRuntime().availableProcessors();
  }
}

package io.orchestrion.engine.jobs;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class JobTransactionCapH2Test extends JobTransactionCapContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }

  @Override
  protected int expectedDefaultCap() {
    return 0;
  }
}

package io.orchestrion.engine.run;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class SubmissionLifecycleH2Test extends SubmissionLifecycleContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}

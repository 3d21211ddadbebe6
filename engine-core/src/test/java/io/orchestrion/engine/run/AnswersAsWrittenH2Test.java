package io.orchestrion.engine.run;

import io.orchestrion.engine.testing.TestDatabaseKind;

class AnswersAsWrittenH2Test extends AnswersAsWrittenContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.H2;
  }
}

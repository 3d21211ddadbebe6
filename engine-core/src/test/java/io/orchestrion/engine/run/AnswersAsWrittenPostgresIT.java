package io.orchestrion.engine.run;

import io.orchestrion.engine.testing.TestDatabaseKind;

class AnswersAsWrittenPostgresIT extends AnswersAsWrittenContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }
}

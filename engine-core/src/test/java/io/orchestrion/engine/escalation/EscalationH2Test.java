package io.orchestrion.engine.escalation;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import javax.sql.DataSource;

class EscalationH2Test extends EscalationContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }

  @Override
  protected DataSource secondNodeDataSource(TestDatabase database) {
    return database.dataSource();
  }
}

package io.orchestrion.engine.jobs;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import javax.sql.DataSource;

/** Both nodes share the in-process H2 database through one pool (H2 has no server mode here). */
class JobRaceH2Test extends JobRaceContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }

  @Override
  protected DataSource secondNodeDataSource(TestDatabase database) {
    return database.dataSource();
  }
}

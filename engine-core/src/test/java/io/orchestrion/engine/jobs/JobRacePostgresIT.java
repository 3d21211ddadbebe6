package io.orchestrion.engine.jobs;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import javax.sql.DataSource;

/** The second node has a pool of its own on the embedded PostgreSQL, as another process would. */
class JobRacePostgresIT extends JobRaceContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.postgres();
  }

  @Override
  protected DataSource secondNodeDataSource(TestDatabase database) {
    return ownPool(database, "postgres");
  }
}

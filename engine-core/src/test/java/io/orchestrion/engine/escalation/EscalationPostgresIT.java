package io.orchestrion.engine.escalation;

import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import javax.sql.DataSource;

class EscalationPostgresIT extends EscalationContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.postgres();
  }

  /** The second node has a pool of its own on the embedded PostgreSQL, as another process would. */
  @Override
  protected DataSource secondNodeDataSource(TestDatabase database) {
    return DataSources.create(new DatabaseConfig(database.jdbcUrl(), "postgres", "", 4));
  }
}

package io.orchestrion.engine.upgrade;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.api.DatabaseConfig;
import java.util.UUID;

/** The upgrade from V10 on H2: the fixture is H2's own SCRIPT output, loaded with RUNSCRIPT. */
class UpgradeFromV10H2Test extends UpgradeFromV10Contract {
  private HikariDataSource dataSource;

  @Override
  protected Populated populate() throws Exception {
    String url =
        "jdbc:h2:mem:upgrade_"
            + UUID.randomUUID().toString().replace("-", "")
            + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
    DatabaseConfig config = new DatabaseConfig(url, "", "", 8);
    dataSource = DataSources.create(config);
    V10H2Fixture.load(dataSource);
    return new Populated(dataSource, config);
  }

  @Override
  protected void dropDatabase() throws Exception {
    if (dataSource != null) {
      dataSource.close(); // the engine shut the in-memory database down when it closed
    }
  }
}

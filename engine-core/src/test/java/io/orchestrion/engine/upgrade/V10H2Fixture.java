package io.orchestrion.engine.upgrade;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The V10 upgrade fixture ({@link UpgradeFromV10Contract#FIXTURE}, H2's own SCRIPT output) loaded
 * into an empty H2 database with RUNSCRIPT: schema V10, its Flyway history and its data.
 */
public final class V10H2Fixture {
  private V10H2Fixture() {}

  public static void load(DataSource dataSource) throws Exception {
    Path file = Files.createTempFile("upgrade-v10", ".sql");
    try {
      Files.writeString(file, UpgradeFromV10Contract.fixtureScript());
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("RUNSCRIPT FROM '" + file.toString().replace('\\', '/') + "'");
        connection.commit();
      }
    } finally {
      Files.delete(file);
    }
  }
}

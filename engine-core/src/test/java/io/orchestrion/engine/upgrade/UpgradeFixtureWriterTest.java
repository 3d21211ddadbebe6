package io.orchestrion.engine.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.api.FlowEvent;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the upgrade fixture: run it on the release whose schema the fixture keeps, with {@code
 * -Dupgrade.fixture.write=<file>} (docs/deployment.md, "Rolling upgrades"). It populates a fresh H2
 * database through the engine and dumps it with H2's {@code SCRIPT}, schema history included.
 * Skipped otherwise.
 */
@EnabledIfSystemProperty(named = "upgrade.fixture.write", matches = ".+")
class UpgradeFixtureWriterTest {
  @Test
  void writeFixture() throws Exception {
    Path target = Path.of(System.getProperty("upgrade.fixture.write")).toAbsolutePath();
    Files.createDirectories(target.getParent());
    try (TestDatabase database = TestDatabases.h2()) {
      try (EngineHarness harness = EngineHarness.start(database)) {
        UpgradeFixture.deploy(harness);
        for (int i = 0;
            i < UpgradeFixture.WAITING_FOR_EVENT + UpgradeFixture.WAITING_FOR_APPROVAL;
            i++) {
          String[] ids =
              UpgradeFixture.submit(harness.engine(), "Before the upgrade " + i).split(" ");
          harness.awaitRun(
              ids[0],
              run ->
                  run.stages().getFirst().steps().getFirst().status() == StepStatus.IN_PROGRESS
                      && waits(database, ids[1]) == 2);
          if (i >= UpgradeFixture.WAITING_FOR_EVENT) {
            harness
                .engine()
                .flowEvents()
                .publish(new FlowEvent(UpgradeFixture.EVENT, ids[1], Map.of("verdict", "ok")));
            harness.awaitRun(
                ids[0],
                run -> run.stages().getFirst().steps().getFirst().status() == StepStatus.COMPLETED);
          }
        }
      }
      try (Connection connection = database.dataSource().getConnection();
          PreparedStatement script = connection.prepareStatement("SCRIPT NOPASSWORDS TO ?")) {
        script.setString(1, target.toString());
        script.execute();
        connection.commit();
      }
    }
    assertThat(Files.readString(target)).contains("flyway_schema_history", "Upgrade_Audit");
  }

  static int waits(TestDatabase database, String correlationKey) {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM flow_event_waits WHERE correlation_key = ?")) {
      statement.setString(1, correlationKey);
      try (var rs = statement.executeQuery()) {
        rs.next();
        int count = rs.getInt(1);
        connection.rollback();
        return count;
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }
}

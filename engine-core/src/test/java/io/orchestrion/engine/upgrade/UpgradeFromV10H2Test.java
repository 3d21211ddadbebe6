package io.orchestrion.engine.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.FlowEvent;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.WorkItemView;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/**
 * Upgrade (issue 12): a populated H2 database of schema V10 — the schema of release 0.1, dumped by
 * {@link UpgradeFixtureWriterTest} into {@code src/test/resources/upgrade/v10.h2.sql} with runs
 * waiting on flow events and on approvals — is migrated by the current engine to the current schema
 * at start, after which the engine finishes the fixture's waiting runs.
 */
class UpgradeFromV10H2Test {
  private static final String FIXTURE = "/upgrade/v10.h2.sql";

  @Test
  void aPopulatedV10DatabaseMigratesAndTheEngineFinishesItsWaitingRuns() throws Exception {
    String url =
        "jdbc:h2:mem:upgrade_"
            + UUID.randomUUID().toString().replace("-", "")
            + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
    try (HikariDataSource dataSource = DataSources.create(new DatabaseConfig(url, "", "", 8))) {
      load(dataSource);
      assertThat(appliedVersions(dataSource)).last().isEqualTo("10");
      Map<String, String> waiting = openRuns(dataSource);
      assertThat(waiting)
          .hasSize(UpgradeFixture.WAITING_FOR_EVENT + UpgradeFixture.WAITING_FOR_APPROVAL);

      EngineConfig config =
          EngineConfig.defaults(new DatabaseConfig(url, "", "", 8))
              .withPollInterval(Duration.ofMillis(50))
              .withLeaseDuration(Duration.ofSeconds(2));
      try (OrchestrionEngine engine =
          OrchestrionEngine.create(config, dataSource, Clock.systemUTC()).start()) {
        // Every migration of this release was applied on top of V10.
        assertThat(appliedVersions(dataSource)).containsExactlyElementsOf(migrationVersions());

        int resumed = 0;
        for (String recordId : waiting.values()) {
          resumed +=
              engine
                  .flowEvents()
                  .publish(new FlowEvent(UpgradeFixture.EVENT, recordId, Map.of("verdict", "ok")));
        }
        assertThat(resumed).isEqualTo(UpgradeFixture.WAITING_FOR_EVENT);
        for (String runId : waiting.keySet()) {
          WorkItemView item =
              await(
                  "the work item of run " + runId,
                  () -> engine.workItems().ofRun(runId).stream().findFirst());
          engine.workItems().decide(item.id(), Decision.APPROVE, Optional.empty(), "admin");
        }
        for (String runId : waiting.keySet()) {
          RunView run =
              await(
                  "the end of run " + runId,
                  () ->
                      Optional.of(engine.runs().get(runId))
                          .filter(view -> view.status() != RunStatus.IN_PROGRESS));
          assertThat(run.status()).as("run %s", runId).isEqualTo(RunStatus.COMPLETED);
        }
        assertThat(openRuns(dataSource)).isEmpty();
      }
    }
  }

  private static void load(HikariDataSource dataSource) throws SQLException, IOException {
    String script;
    try (InputStream in = UpgradeFromV10H2Test.class.getResourceAsStream(FIXTURE)) {
      assertThat(in).as(FIXTURE).isNotNull();
      script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Path file = Files.createTempFile("upgrade-v10", ".sql");
    try {
      Files.writeString(file, script);
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("RUNSCRIPT FROM '" + file.toString().replace('\\', '/') + "'");
        connection.commit();
      }
    } finally {
      Files.delete(file);
    }
  }

  /** Run id → record id of the IN_PROGRESS submissions. */
  private static Map<String, String> openRuns(HikariDataSource dataSource) throws SQLException {
    Map<String, String> runs = new LinkedHashMap<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT run_id, record_id FROM submissions WHERE status = 'IN_PROGRESS'"
                    + " ORDER BY created_at")) {
      while (rs.next()) {
        runs.put(rs.getString(1), rs.getString(2));
      }
      connection.rollback();
    }
    return runs;
  }

  /** Flyway's versions as it stores them ("11", "11.1"), in the order they were applied. */
  private static List<String> appliedVersions(HikariDataSource dataSource) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL"
                    + " ORDER BY \"installed_rank\"")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
      connection.rollback();
    }
    return versions;
  }

  /** The versions of the scripts ("V11_1__…" is version "11.1"), in Flyway's order. */
  private static List<String> migrationVersions() throws URISyntaxException, IOException {
    Path directory =
        Path.of(
                OrchestrionEngine.class
                    .getResource("/db/migration/V1__definitions_and_records.sql")
                    .toURI())
            .getParent();
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.matches("V\\d+(_\\d+)*__.*\\.sql"))
          .map(name -> MigrationVersion.fromVersion(name.substring(1, name.indexOf("__"))))
          .sorted()
          .map(MigrationVersion::getVersion)
          .toList();
    }
  }

  private static <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + ": not within 20 s");
      }
      Thread.sleep(20);
    }
  }
}

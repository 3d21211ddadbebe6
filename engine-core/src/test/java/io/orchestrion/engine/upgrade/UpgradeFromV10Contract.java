package io.orchestrion.engine.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.run.RunStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.FlowEvent;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.Migrations;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Upgrade (issue 12): a populated database of schema V10 — the schema of release 0.1, dumped from
 * H2 by {@link UpgradeFixtureWriterTest} into {@code src/test/resources/upgrade/v10.h2.sql} with
 * runs waiting on flow events and on approvals — is migrated by the current engine to the current
 * schema at start, after which the engine finishes the fixture's waiting runs. Each dialect loads
 * the fixture its own way ({@link UpgradeFromV10H2Test}, {@link UpgradeFromV10PostgresIT}).
 */
abstract class UpgradeFromV10Contract {
  static final String FIXTURE = "/upgrade/v10.h2.sql";

  /** A database of schema V10 holding the fixture's data. */
  record Populated(DataSource dataSource, DatabaseConfig config) {}

  /** Creates the database, builds schema V10 and loads the fixture's data into it. */
  protected abstract Populated populate() throws Exception;

  /** Drops what {@link #populate()} created. */
  protected abstract void dropDatabase() throws Exception;

  @AfterEach
  void drop() throws Exception {
    dropDatabase();
  }

  @Test
  void aPopulatedV10DatabaseMigratesAndTheEngineFinishesItsWaitingRuns() throws Exception {
    Populated populated = populate();
    DataSource dataSource = populated.dataSource();
    assertThat(appliedVersions(dataSource)).last().isEqualTo("10");
    keepTimersAsTheyWereWhenDumped(dataSource);
    Map<String, String> waiting = openRuns(dataSource);
    assertThat(waiting)
        .hasSize(UpgradeFixture.WAITING_FOR_EVENT + UpgradeFixture.WAITING_FOR_APPROVAL);

    EngineConfig config =
        EngineConfig.defaults(populated.config())
            .withPollInterval(Duration.ofMillis(50))
            .withLeaseDuration(Duration.ofSeconds(2));
    try (OrchestrionEngine engine =
        OrchestrionEngine.create(config, dataSource, Clock.systemUTC()).start()) {
      // Every migration of this release was applied on top of V10.
      assertThat(appliedVersions(dataSource))
          .containsExactlyElementsOf(migrationVersions(dataSource))
          .hasSizeGreaterThanOrEqualTo(11);

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

  /**
   * Moves every job's due time forward by the time since the fixture was written, as if the
   * database had been dumped just now: the waiting interviews' timers (one day) were set relative
   * to the dump, and without this they fall due a day after the fixture was written and the engine
   * takes the timer path before the test publishes the events.
   */
  private static void keepTimersAsTheyWereWhenDumped(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      Instant dumped;
      try (ResultSet rs = statement.executeQuery("SELECT MAX(created_at) FROM jobs")) {
        assertThat(rs.next()).isTrue();
        dumped = rs.getObject(1, OffsetDateTime.class).toInstant();
      }
      Duration since = Duration.between(dumped, Instant.now());
      Map<String, OffsetDateTime> due = new LinkedHashMap<>();
      try (ResultSet rs = statement.executeQuery("SELECT id, due_at FROM jobs")) {
        while (rs.next()) {
          due.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).plus(since));
        }
      }
      try (PreparedStatement update =
          connection.prepareStatement("UPDATE jobs SET due_at = ? WHERE id = ?")) {
        for (Map.Entry<String, OffsetDateTime> job : due.entrySet()) {
          update.setObject(1, job.getValue());
          update.setString(2, job.getKey());
          assertThat(update.executeUpdate()).isEqualTo(1);
        }
      }
      connection.commit();
    }
  }

  /** The fixture's SQL script (H2's SCRIPT output). */
  static String fixtureScript() throws IOException {
    try (InputStream in = UpgradeFromV10Contract.class.getResourceAsStream(FIXTURE)) {
      assertThat(in).as(FIXTURE).isNotNull();
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Run id → record id of the IN_PROGRESS submissions. */
  private static Map<String, String> openRuns(DataSource dataSource) throws SQLException {
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
  private static List<String> appliedVersions(DataSource dataSource) throws SQLException {
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

  /**
   * The versions of this release's migrations ("V11_1__…" is version "11.1"; the Java ones too), in
   * Flyway's order, as Flyway resolves them from the class path (a directory or the engine's jar).
   */
  private static List<String> migrationVersions(DataSource dataSource) {
    Dialect dialect = new Database(dataSource).dialect();
    return java.util.Arrays.stream(
            Migrations.configuration(dataSource, dialect).load().info().all())
        .filter(info -> info.getVersion() != null && info.getType() != null)
        .map(info -> info.getVersion())
        .sorted()
        .map(MigrationVersion::getVersion)
        .toList();
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

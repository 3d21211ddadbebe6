package io.orchestrion.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.upgrade.V10H2Fixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V20 moves every run's stage and step instances into its row, a page of runs at a time: with pages
 * of two runs, the V10 upgrade fixture's runs cross several pages, and every run's document holds
 * exactly the rows the two tables held for it — none lost, none given to another run, each value as
 * its column held it.
 */
class RunInstancesMigrationH2Test {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HikariDataSource dataSource;

  @AfterEach
  void close() {
    if (dataSource != null) {
      dataSource.close();
    }
  }

  /** The instances as V19's tables hold them, by run, one text per row. */
  record Instances(Map<String, List<String>> stages, Map<String, List<String>> steps) {}

  @Test
  void everyRunsInstancesMoveIntoItsRowAcrossPages() throws Exception {
    Instances before = fixtureAtV19();

    flyway(2, page -> {}).load().migrate();

    assertMoved(before);
  }

  @Test
  void onH2AFailedMoveRunsAgainAfterARepair() throws Exception {
    Instances before = fixtureAtV19();

    // The second page fails: H2 has committed the new column (DDL commits there), the first
    // page's documents are rolled back with the migration's transaction, the tables are intact.
    Flyway failing =
        flyway(
                2,
                page -> {
                  if (page == 2) {
                    throw new SQLException("disk full (injected)");
                  }
                })
            .load();
    assertThatThrownBy(failing::migrate).hasMessageContaining("disk full (injected)");
    assertThat(
            count(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS"
                    + " WHERE TABLE_NAME = 'RUNS' AND COLUMN_NAME = 'INSTANCES'"))
        .isOne();
    assertThat(count("SELECT COUNT(*) FROM runs WHERE instances IS NOT NULL")).isZero();
    assertThat(count("SELECT COUNT(*) FROM stage_instances")).isPositive();
    assertThat(count("SELECT COUNT(*) FROM step_instances")).isPositive();

    // The operator repairs the history (Flyway marked V20 failed) and starts again.
    Flyway again = flyway(2, page -> {}).load();
    again.repair();
    again.migrate();

    assertMoved(before);
  }

  /** The V10 fixture migrated to V19, and its instances as the two tables hold them. */
  private Instances fixtureAtV19() throws Exception {
    dataSource =
        DataSources.create(
            new DatabaseConfig(
                "jdbc:h2:mem:v20_"
                    + UUID.randomUUID().toString().replace("-", "")
                    + ";DB_CLOSE_DELAY=-1",
                "",
                "",
                2));
    V10H2Fixture.load(dataSource);
    flyway(RunInstancesMigration.PAGE, page -> {}).target("19").load().migrate();
    Instances before =
        new Instances(
            rowsByRun(
                "SELECT run_id, id || '|' || name || '|' || entry_number || '|' || status"
                    + " FROM stage_instances"),
            normalisedOutputs(
                rowsByRun(
                    "SELECT run_id, id || '|' || stage_instance_id || '|' || name || '|' || status"
                        + " || '|' || attempt || '|' || COALESCE(flow, '-') || '|'"
                        + " || COALESCE(outputs, '-') FROM step_instances")));
    int runs = count("SELECT COUNT(*) FROM runs");
    assertThat(runs).as("runs in the fixture").isGreaterThan(4);
    assertThat(before.steps().values().stream().mapToInt(List::size).sum()).isGreaterThan(runs);
    return before;
  }

  /** Every run's document holds exactly {@code before}'s rows of it; the two tables are gone. */
  private void assertMoved(Instances before) throws Exception {
    Map<String, List<String>> stagesAfter = new TreeMap<>();
    Map<String, List<String>> stepsAfter = new TreeMap<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT id, instances FROM runs")) {
      while (rs.next()) {
        String runId = rs.getString(1);
        JsonNode document = JSON.readTree(rs.getString(2));
        for (JsonNode stage : document.get("stages")) {
          stagesAfter
              .computeIfAbsent(runId, id -> new ArrayList<>())
              .add(
                  String.join(
                      "|",
                      stage.get("id").asText(),
                      stage.get("name").asText(),
                      stage.get("entry").asText(),
                      stage.get("status").asText()));
        }
        for (JsonNode step : document.get("steps")) {
          stepsAfter
              .computeIfAbsent(runId, id -> new ArrayList<>())
              .add(
                  String.join(
                      "|",
                      step.get("id").asText(),
                      step.get("stage").asText(),
                      step.get("name").asText(),
                      step.get("status").asText(),
                      step.get("attempt").asText(),
                      step.has("flow") ? step.get("flow").asText() : "-",
                      step.has("outputs") ? JSON.writeValueAsString(step.get("outputs")) : "-"));
        }
      }
    }
    assertThat(sorted(stagesAfter)).isEqualTo(sorted(before.stages()));
    assertThat(sorted(stepsAfter)).isEqualTo(sorted(before.steps()));
    assertThat(count("SELECT COUNT(*) FROM runs WHERE instances IS NULL")).isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_NAME IN ('STAGE_INSTANCES', 'STEP_INSTANCES')"))
        .isZero();
  }

  /**
   * The migrations with V20's runs moved {@code page} at a time, {@code afterPage} told the number
   * of each page written.
   */
  private org.flywaydb.core.api.configuration.FluentConfiguration flyway(
      int page, RunInstancesMigration.AfterPage afterPage) {
    return Migrations.configuration(dataSource, Dialect.H2)
        .javaMigrations(new RunInstancesMigration(page, afterPage));
  }

  /** Outputs as the document holds them: the column's JSON, compacted by the same mapper. */
  private static Map<String, List<String>> normalisedOutputs(Map<String, List<String>> steps)
      throws Exception {
    Map<String, List<String>> normalised = new TreeMap<>();
    for (Map.Entry<String, List<String>> run : steps.entrySet()) {
      List<String> rows = new ArrayList<>();
      for (String row : run.getValue()) {
        int outputs = row.lastIndexOf('|');
        String json = row.substring(outputs + 1);
        rows.add(
            row.substring(0, outputs + 1)
                + (json.equals("-") ? "-" : JSON.writeValueAsString(JSON.readTree(json))));
      }
      normalised.put(run.getKey(), rows);
    }
    return normalised;
  }

  private static Map<String, List<String>> sorted(Map<String, List<String>> byRun) {
    Map<String, List<String>> sorted = new TreeMap<>();
    byRun.forEach((run, rows) -> sorted.put(run, rows.stream().sorted().toList()));
    return sorted;
  }

  private Map<String, List<String>> rowsByRun(String sql) throws SQLException {
    Map<String, List<String>> byRun = new TreeMap<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        byRun.computeIfAbsent(rs.getString(1), id -> new ArrayList<>()).add(rs.getString(2));
      }
    }
    return byRun;
  }

  private int count(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}

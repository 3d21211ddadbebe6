package io.orchestrion.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;

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

  @Test
  void everyRunsInstancesMoveIntoItsRowAcrossPages() throws Exception {
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
    Flyway before = flyway(Integer.MAX_VALUE).target("19").load();
    before.migrate();
    Map<String, List<String>> stagesBefore =
        rowsByRun(
            "SELECT run_id, id || '|' || name || '|' || entry_number || '|' || status"
                + " FROM stage_instances");
    Map<String, List<String>> stepsBefore =
        rowsByRun(
            "SELECT run_id, id || '|' || stage_instance_id || '|' || name || '|' || status"
                + " || '|' || attempt || '|' || COALESCE(flow, '-') || '|' || COALESCE(outputs, '-')"
                + " FROM step_instances");
    int runs = count("SELECT COUNT(*) FROM runs");
    assertThat(runs).as("runs in the fixture").isGreaterThan(4);
    assertThat(stepsBefore.values().stream().mapToInt(List::size).sum()).isGreaterThan(runs);

    flyway(2).load().migrate();

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
    assertThat(sorted(stagesAfter)).isEqualTo(sorted(stagesBefore));
    assertThat(sorted(stepsAfter)).isEqualTo(sorted(normalisedOutputs(stepsBefore)));
    // The two tables are gone; every run has a document.
    assertThat(count("SELECT COUNT(*) FROM runs WHERE instances IS NULL")).isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_NAME IN ('STAGE_INSTANCES', 'STEP_INSTANCES')"))
        .isZero();
  }

  /** The migrations with V20's runs moved {@code page} at a time. */
  private org.flywaydb.core.api.configuration.FluentConfiguration flyway(int page) {
    return Migrations.configuration(dataSource, Dialect.H2)
        .javaMigrations(new RunInstancesMigration(page));
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

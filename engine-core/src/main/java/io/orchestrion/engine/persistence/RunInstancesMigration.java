package io.orchestrion.engine.persistence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * V20: a run's stage and step instances move from the {@code stage_instances} and {@code
 * step_instances} tables into one JSON document in the run's own row, {@code runs.instances}, and
 * the two tables are dropped (docs/persistence.md, "The run's instances"). Written in Java because
 * the two dialects build JSON from rows with different functions.
 *
 * <p>The runs are moved a page of ids at a time (keyset order of the database, so its collation
 * decides), each page's instances read with the by-run indexes and its documents written in one
 * batch: memory is bounded by a page, whatever the number of runs.
 *
 * <p>The format is the one {@code io.orchestrion.engine.run.InstancesDocument} reads, written here
 * by code of its own, so that this migration stays what it was when later releases change the
 * engine's writer.
 */
final class RunInstancesMigration implements JavaMigration {
  static final int PAGE = 500;

  private static final JsonFactory JSON = new JsonFactory();

  private final int page;
  private final AfterPage afterPage;

  /** Told the number (from 1) of each page once its documents are written: a test's seam. */
  @FunctionalInterface
  interface AfterPage {
    void written(int page) throws SQLException;
  }

  RunInstancesMigration() {
    this(PAGE, page -> {});
  }

  /** With pages of {@code page} runs: tests move a few runs over several pages, or fail midway. */
  RunInstancesMigration(int page, AfterPage afterPage) {
    if (page < 1) {
      throw new IllegalArgumentException("page must be positive: " + page);
    }
    this.page = page;
    this.afterPage = afterPage;
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("20");
  }

  @Override
  public String getDescription() {
    return "run instances in the run row";
  }

  @Override
  public Integer getChecksum() {
    return 20_001;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    String jsonType = context.getConfiguration().getPlaceholders().get("json_type");
    try (Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS instances " + jsonType);
    }
    String after = "";
    for (int pages = 1; ; pages++) {
      List<String> runIds = nextPage(connection, after, page);
      if (runIds.isEmpty()) {
        break;
      }
      String last = runIds.getLast();
      Map<String, StringWriter> stages = stages(connection, after, last);
      Map<String, StringWriter> steps = steps(connection, after, last);
      try (PreparedStatement update =
          connection.prepareStatement("UPDATE runs SET instances = ? WHERE id = ?")) {
        for (String runId : runIds) {
          update.setString(
              1,
              "{\"stages\":["
                  + text(stages.get(runId))
                  + "],\"steps\":["
                  + text(steps.get(runId))
                  + "]}");
          update.setString(2, runId);
          update.addBatch();
        }
        update.executeBatch();
      }
      afterPage.written(pages);
      after = last;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE step_instances");
      statement.execute("DROP TABLE stage_instances");
    }
  }

  private static List<String> nextPage(Connection connection, String after, int page)
      throws SQLException {
    List<String> ids = new ArrayList<>(page);
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id FROM runs WHERE id > ? ORDER BY id FETCH FIRST " + page + " ROWS ONLY")) {
      select.setString(1, after);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /** Writes one row of a result set as a JSON object's fields. */
  @FunctionalInterface
  private interface Fields {
    void write(JsonGenerator out, ResultSet row) throws SQLException, IOException;
  }

  /**
   * Run id → its stages' JSON objects, comma-separated, for runs in ({@code after}, {@code last}].
   */
  private static Map<String, StringWriter> stages(Connection connection, String after, String last)
      throws SQLException {
    return objectsByRun(
        connection,
        "SELECT run_id, id, name, stage_index, entry_number, status, started_at, ended_at"
            + " FROM stage_instances WHERE run_id > ? AND run_id <= ?",
        after,
        last,
        (out, rs) -> {
          out.writeStringField("id", rs.getString("id"));
          out.writeStringField("name", rs.getString("name"));
          out.writeNumberField("index", rs.getInt("stage_index"));
          out.writeNumberField("entry", rs.getInt("entry_number"));
          out.writeStringField("status", rs.getString("status"));
          writeInstant(out, "started", JdbcValues.getNullableInstant(rs, "started_at"));
          writeInstant(out, "ended", JdbcValues.getNullableInstant(rs, "ended_at"));
        });
  }

  /**
   * Run id → its steps' JSON objects, comma-separated, for runs in ({@code after}, {@code last}].
   */
  private static Map<String, StringWriter> steps(Connection connection, String after, String last)
      throws SQLException {
    return objectsByRun(
        connection,
        "SELECT run_id, id, stage_instance_id, name, step_index, kind, status, attempt, flow,"
            + " flow_version, execution_mode, execution_reason, run_as_user_id, run_mode,"
            + " outputs, error, started_at, ended_at, discontinued_by"
            + " FROM step_instances WHERE run_id > ? AND run_id <= ?",
        after,
        last,
        (out, rs) -> {
          out.writeStringField("id", rs.getString("id"));
          out.writeStringField("stage", rs.getString("stage_instance_id"));
          out.writeStringField("name", rs.getString("name"));
          out.writeNumberField("index", rs.getInt("step_index"));
          out.writeStringField("kind", rs.getString("kind"));
          out.writeStringField("status", rs.getString("status"));
          out.writeNumberField("attempt", rs.getInt("attempt"));
          writeString(out, "flow", rs.getString("flow"));
          int flowVersion = rs.getInt("flow_version");
          if (!rs.wasNull()) {
            out.writeNumberField("flowVersion", flowVersion);
          }
          writeString(out, "mode", rs.getString("execution_mode"));
          writeString(out, "reason", rs.getString("execution_reason"));
          writeString(out, "runAs", rs.getString("run_as_user_id"));
          writeString(out, "runMode", rs.getString("run_mode"));
          String outputs = rs.getString("outputs");
          if (outputs != null) {
            out.writeFieldName("outputs");
            out.writeRawValue(outputs);
          }
          writeString(out, "error", rs.getString("error"));
          writeInstant(out, "started", JdbcValues.getNullableInstant(rs, "started_at"));
          writeInstant(out, "ended", JdbcValues.getNullableInstant(rs, "ended_at"));
          writeString(out, "discontinuedBy", rs.getString("discontinued_by"));
        });
  }

  /**
   * Run id → one JSON object per row of {@code select} (its first column the run id, its two
   * parameters {@code after} and {@code last}), comma-separated.
   */
  private static Map<String, StringWriter> objectsByRun(
      Connection connection, String select, String after, String last, Fields fields)
      throws SQLException {
    Map<String, StringWriter> byRun = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(select)) {
      statement.setString(1, after);
      statement.setString(2, last);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          try (JsonGenerator out = element(byRun, rs.getString(1))) {
            out.writeStartObject();
            fields.write(out, rs);
            out.writeEndObject();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
    return byRun;
  }

  /**
   * A generator appending one more element to the run's list (a comma before all but the first).
   */
  private static JsonGenerator element(Map<String, StringWriter> byRun, String runId) {
    StringWriter text = byRun.get(runId);
    if (text == null) {
      text = new StringWriter();
      byRun.put(runId, text);
    } else {
      text.write(',');
    }
    try {
      return JSON.createGenerator(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(StringWriter elements) {
    return elements == null ? "" : elements.toString();
  }

  private static void writeString(JsonGenerator out, String field, String value)
      throws IOException {
    if (value != null) {
      out.writeStringField(field, value);
    }
  }

  private static void writeInstant(JsonGenerator out, String field, Instant value)
      throws IOException {
    if (value != null) {
      out.writeStringField(field, value.toString());
    }
  }
}

package io.orchestrion.benchmarks;

import static java.util.Objects.requireNonNull;

import io.orchestrion.benchmarks.TemplateRows.Source;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.spi.directory.User;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Fills the database with history before a measured run (benchmark only, never CI): finished
 * submissions (APPROVED, with their run, stages, steps, decided work item, events, audit entries
 * and record) and waiting ones (IN_PROGRESS at the approval of stage 2, its work item ASSIGNED to a
 * user the driver never decides for), in bulk SQL.
 *
 * <p>So that the rows are exactly what the engine writes, the engine itself makes a template: one
 * record submitted through {@code engine.submissions()}, read when it waits at the approval (copied
 * {@code waiting} times), then decided through {@code engine.workItems()} and read again when
 * APPROVED (copied {@code finished} times), by {@link CloneStatements} in batches of {@value
 * #BATCH} copies per transaction. Every table the engine wrote rows into for the template must be
 * one the seeder copies, or seeding fails: the seeder cannot drift silently from the schema.
 */
final class HistorySeeder {
  static final String HISTORY_APPROVER_PREFIX = "bench-history-";
  static final int HISTORY_APPROVERS = 100;
  static final int BATCH = 2_000;
  static final int THREADS = 2;
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);

  /** Tables that hold no per-submission rows but change while a submission runs. */
  private static final Set<String> SHARED_TABLES = Set.of("event_sequencer");

  /**
   * What was seeded.
   *
   * @param rows rows inserted per table
   * @param indexes every index of the schema after seeding, name → definition (the same as before
   *     seeding, or seeding fails)
   * @param templateRun the template's run (finished now)
   * @param waitingExample one waiting copy's run id
   * @param finishedExample one finished copy's submission id
   */
  record Seeded(
      HistorySize size,
      Duration elapsed,
      Map<String, Long> rows,
      Map<String, String> indexes,
      String templateRun,
      Optional<String> waitingExample,
      Optional<String> finishedExample) {
    Seeded {
      rows = Map.copyOf(rows);
      indexes = Map.copyOf(indexes);
    }
  }

  private final OrchestrionEngine engine;
  private final BenchDatabase database;
  private final Workload.Scenario scenario;
  private final PrintStream progress;
  private final boolean postgres;
  private final BulkCopy copier;
  private final boolean dropIndexes;

  /**
   * A seeder with the settings of the system properties {@code bench.history.threads} (default
   * {@value #THREADS}), {@code bench.history.batch} (default {@value #BATCH}) and {@code
   * bench.history.dropIndexes} (default false).
   */
  HistorySeeder(
      OrchestrionEngine engine,
      BenchDatabase database,
      Workload.Scenario scenario,
      PrintStream progress) {
    this(
        engine,
        database,
        scenario,
        progress,
        Integer.getInteger("bench.history.threads", THREADS),
        Integer.getInteger("bench.history.batch", BATCH),
        Boolean.getBoolean("bench.history.dropIndexes"));
  }

  HistorySeeder(
      OrchestrionEngine engine,
      BenchDatabase database,
      Workload.Scenario scenario,
      PrintStream progress,
      int threads,
      int batch,
      boolean dropIndexes) {
    this.dropIndexes = dropIndexes;
    this.engine = requireNonNull(engine, "engine is null");
    this.database = requireNonNull(database, "database is null");
    this.scenario = requireNonNull(scenario, "scenario is null");
    this.progress = requireNonNull(progress, "progress is null");
    this.postgres = database instanceof EmbeddedPostgresDatabase;
    this.copier = new BulkCopy(database, postgres, progress, threads, batch);
  }

  /** Seeds {@code size}; {@link Workload#define} must have run. */
  Seeded seed(HistorySize size) throws Exception {
    if (size.waiting() > 0 && scenario.approvals == 0) {
      throw new IllegalArgumentException(
          "waiting history needs a scenario with an approval (--scenario approval)");
    }
    long start = System.nanoTime();
    for (int i = 0; i < HISTORY_APPROVERS; i++) {
      engine.directory().saveUser(User.of(HISTORY_APPROVER_PREFIX + i, "History approver " + i));
    }
    try (Connection connection = database.openMonitor()) {
      connection.setAutoCommit(true);
      Map<String, Long> before = rowCounts(connection);
      Map<String, String> indexesBefore = SecondaryIndexes.all(connection, postgres);
      String recordId = Workload.createRecord(engine, -1);
      SubmissionView submission =
          engine
              .submissions()
              .submit(
                  new SubmitRequest(
                      Workload.OBJECT_TYPE, recordId, scenario.orchestration, Optional.empty()),
                  "bench");
      List<Source> sources = sources(connection, submission, recordId);
      Optional<String> waitingExample = Optional.empty();
      SecondaryIndexes indexes = new SecondaryIndexes(postgres);
      bulkSettings(connection, postgres, true);
      try {
        if (scenario.approvals > 0) {
          TemplateRows waiting = settled(connection, sources, this::waitsForApproval);
          checkCopied(connection, before, sources);
          copy(connection, waiting, true, 1, size.waiting(), indexes);
          if (size.waiting() > 0) {
            waitingExample = Optional.of(copyId(submission.runId(), 1));
          }
          String workItem = waiting.table("work_items").values("id").getFirst();
          engine
              .workItems()
              .decide(workItem, Decision.APPROVE, Optional.empty(), Workload.APPROVER);
        }
        TemplateRows finished = settled(connection, sources, this::finished);
        checkCopied(connection, before, sources);
        copy(connection, finished, false, size.waiting() + 1, size.finished(), indexes);
      } finally {
        long began = System.nanoTime();
        Map<String, Long> recreated = indexes.recreate(connection);
        progress.printf(
            Locale.ROOT,
            "history: created the secondary indexes again in %.1f s (ms per table: %s)%n",
            (System.nanoTime() - began) / 1e9,
            recreated);
        bulkSettings(connection, postgres, false);
      }
      Map<String, String> indexesAfter = SecondaryIndexes.all(connection, postgres);
      if (!indexesAfter.equals(indexesBefore)) {
        throw new IllegalStateException(
            "the indexes after seeding differ from the schema's: before "
                + indexesBefore
                + ", after "
                + indexesAfter);
      }
      long began = System.nanoTime();
      try (Statement statement = connection.createStatement()) {
        statement.execute("ANALYZE");
      }
      progress.printf(
          Locale.ROOT, "history: ANALYZE in %.1f s%n", (System.nanoTime() - began) / 1e9);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      progress.printf(
          Locale.ROOT,
          "history: seeded %s (finished:waiting) in %.1f s: %s%n",
          size,
          elapsed.toMillis() / 1000.0,
          copier.inserted());
      long first = size.waiting() + 1;
      return new Seeded(
          size,
          elapsed,
          copier.inserted(),
          indexesAfter,
          submission.runId(),
          waitingExample,
          size.finished() > 0 ? Optional.of(copyId(submission.id(), first)) : Optional.empty());
    }
  }

  /**
   * Settings for the seeding connection only, undone after it: PostgreSQL does not wait for the WAL
   * flush at the seeder's commits ({@code synchronous_commit} of this session; the engine's
   * connections keep theirs).
   */
  static void bulkSettings(Connection connection, boolean postgres, boolean on)
      throws SQLException {
    if (postgres) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(on ? "SET synchronous_commit TO off" : "RESET synchronous_commit");
      }
    }
  }

  /** The id the copy number {@code n} of a template id gets (see {@link CloneStatements}). */
  static String copyId(String templateId, long n) {
    String digits = String.format(Locale.ROOT, "%012d", n);
    return digits.substring(0, 8) + "-" + digits.substring(8) + "-0" + templateId.substring(15);
  }

  private List<Source> sources(Connection connection, SubmissionView submission, String recordId)
      throws SQLException {
    String submissionId = submission.id();
    String runId = submission.runId();
    return List.of(
        new Source(recordTable(connection), "id", recordId),
        new Source("submissions", "id", submissionId),
        new Source("runs", "id", runId),
        new Source("work_items", "run_id", runId),
        new Source("jobs", "run_id", runId),
        new Source("events", "run_id", runId),
        new Source("audit_entries", "submission_id", submissionId));
  }

  private static String recordTable(Connection connection) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT table_name FROM object_types WHERE api_name = ?")) {
      select.setString(1, Workload.OBJECT_TYPE);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("object type " + Workload.OBJECT_TYPE + " not defined");
        }
        return rs.getString(1);
      }
    }
  }

  private boolean waitsForApproval(TemplateRows rows) {
    return rows.table("work_items").values("status").equals(List.of("ASSIGNED"))
        && settledBackground(rows);
  }

  private boolean finished(TemplateRows rows) {
    return rows.table("submissions").values("status").equals(List.of("APPROVED"))
        && settledBackground(rows);
  }

  /** Every event numbered, no job claimed by a worker. */
  private static boolean settledBackground(TemplateRows rows) {
    return rows.table("events").nulls("sequence") == 0
        && rows.table("jobs").values("lease_owner").isEmpty();
  }

  /** The template once it meets {@code state} and has not changed for a moment. */
  private TemplateRows settled(
      Connection connection, List<Source> sources, Predicate<TemplateRows> state) throws Exception {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    TemplateRows previous = null;
    while (System.nanoTime() < deadline) {
      TemplateRows rows = TemplateRows.read(connection, sources);
      if (state.test(rows) && rows.equals(previous)) {
        return rows;
      }
      previous = state.test(rows) ? rows : null;
      Thread.sleep(300);
    }
    throw new IllegalStateException(
        "the template submission did not settle in "
            + SETTLE_TIMEOUT
            + ": "
            + TemplateRows.read(connection, sources));
  }

  /** Fails when the template wrote rows into a table the seeder does not copy. */
  private static void checkCopied(
      Connection connection, Map<String, Long> before, List<Source> copied) throws SQLException {
    Map<String, Long> now = rowCounts(connection);
    List<String> missed = new ArrayList<>();
    for (Map.Entry<String, Long> table : now.entrySet()) {
      String name = table.getKey();
      boolean isCopied = copied.stream().anyMatch(source -> source.table().equals(name));
      if (!isCopied
          && !SHARED_TABLES.contains(name)
          && !table.getValue().equals(before.getOrDefault(name, 0L))) {
        missed.add(name + " (" + before.getOrDefault(name, 0L) + " -> " + table.getValue() + ")");
      }
    }
    if (!missed.isEmpty()) {
      throw new IllegalStateException(
          "one submission wrote rows into tables the history seeder does not copy: "
              + missed
              + "; add them to HistorySeeder.sources");
    }
  }

  /** Rows per table of the engine's schema (lower-case names). */
  static Map<String, Long> rowCounts(Connection connection) throws SQLException {
    List<String> tables = new ArrayList<>();
    DatabaseMetaData meta = connection.getMetaData();
    try (ResultSet rs = meta.getTables(null, connection.getSchema(), "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME"));
      }
    }
    Map<String, Long> counts = new TreeMap<>();
    try (Statement statement = connection.createStatement()) {
      for (String table : tables) {
        try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
          rs.next();
          counts.put(table.toLowerCase(Locale.ROOT), rs.getLong(1));
        }
      }
    }
    return counts;
  }

  private void copy(
      Connection connection,
      TemplateRows template,
      boolean waiting,
      long first,
      long count,
      SecondaryIndexes indexes)
      throws Exception {
    if (count == 0) {
      return;
    }
    // With dropIndexes, the tables this copy writes lose their plain
    // secondary indexes until seeding ends (created again from the definitions read here). Off by
    // default: measured, it made seeding slower on both databases (README, "Cost with history").
    long dropping = System.nanoTime();
    List<SecondaryIndexes.Index> dropped =
        !dropIndexes
            ? List.of()
            : indexes.drop(
                connection,
                template.tables().values().stream()
                    .filter(table -> !table.rows().isEmpty())
                    .map(table -> table.source().table())
                    .toList());
    if (!dropped.isEmpty()) {
      progress.printf(
          Locale.ROOT,
          "history: dropped %d secondary indexes for the copy in %d ms: %s%n",
          dropped.size(),
          (System.nanoTime() - dropping) / 1_000_000,
          dropped.stream().map(SecondaryIndexes.Index::name).toList());
    }
    copier.copy(connection, template, waiting, first, count);
  }
}

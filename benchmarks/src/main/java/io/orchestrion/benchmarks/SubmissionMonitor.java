package io.orchestrion.benchmarks;

import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.RunView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The driver's own view of the submissions, on a connection of its own: whether they finished, how
 * each ended, and what the stuck ones wait for. Its queries carry {@link
 * BenchDatabase#MONITOR_MARKER} and are counted in {@code queries}, so that the report leaves them
 * out of the engine's figures.
 */
final class SubmissionMonitor {
  private final Connection connection;
  private final AtomicLong queries;
  private final Duration stallTimeout;

  SubmissionMonitor(Connection connection, AtomicLong queries, Duration stallTimeout) {
    this.connection = connection;
    this.queries = queries;
    this.stallTimeout = stallTimeout;
  }

  /**
   * Waits until no submission is IN_PROGRESS, or until the number in progress has not changed for
   * the stall timeout; returns the ids of those still in progress then.
   */
  List<String> awaitCompletion(int expected, Instant since) throws Exception {
    if (expected == 0) {
      return List.of();
    }
    long pending = countInProgress(since);
    long lastChange = System.nanoTime();
    while (pending > 0) {
      Thread.sleep(EndToEndBenchmark.POLL_INTERVAL.toMillis());
      long now = countInProgress(since);
      if (now != pending) {
        pending = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > stallTimeout.toNanos()) {
        return inProgressIds(since);
      }
    }
    return List.of();
  }

  /**
   * The driver's queries look at submissions created since {@code since} only (by the index on
   * {@code created_at}): seeded history is older, and its waiting submissions stay IN_PROGRESS.
   */
  private PreparedStatement since(String select, Instant since) throws SQLException {
    queries.incrementAndGet();
    PreparedStatement statement =
        connection.prepareStatement(
            select + " FROM submissions WHERE created_at >= ? AND status = 'IN_PROGRESS'");
    statement.setObject(1, since.atOffset(ZoneOffset.UTC));
    return statement;
  }

  private long countInProgress(Instant since) throws SQLException {
    try (PreparedStatement statement =
            since("SELECT COUNT(*) AS " + BenchDatabase.MONITOR_MARKER, since);
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private List<String> inProgressIds(Instant since) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement statement =
            since("SELECT run_id AS " + BenchDatabase.MONITOR_MARKER, since);
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  /** The stuck runs' state (first few), for the report: what the engine was waiting for. */
  List<String> describeStuck(OrchestrionEngine engine, List<String> runIds) throws SQLException {
    List<String> described = new ArrayList<>();
    for (String runId : runIds.subList(0, Math.min(3, runIds.size()))) {
      RunView run = engine.runs().get(runId);
      described.add(run.toString());
    }
    if (!runIds.isEmpty()) {
      described.add(runIds.size() + " runs still IN_PROGRESS; jobs left: " + countJobs());
    }
    return described;
  }

  private long countJobs() throws SQLException {
    queries.incrementAndGet();
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT COUNT(*) AS " + BenchDatabase.MONITOR_MARKER + " FROM jobs")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** How a submission ended, as the engine wrote it. */
  record Outcome(SubmissionStatus status, Instant at, Optional<String> error) {}

  /** How each submission made since {@code since} ended. */
  Map<String, Outcome> readOutcomes(Instant since) throws SQLException {
    queries.incrementAndGet();
    Map<String, Outcome> outcomes = new HashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id AS "
                + BenchDatabase.MONITOR_MARKER
                + ", status, updated_at, error FROM submissions WHERE created_at >= ?")) {
      statement.setObject(1, since.atOffset(ZoneOffset.UTC));
      ResultSet rs = statement.executeQuery();
      while (rs.next()) {
        outcomes.put(
            rs.getString(1),
            new Outcome(
                SubmissionStatus.valueOf(rs.getString(2)),
                rs.getObject(3, OffsetDateTime.class).toInstant(),
                Optional.ofNullable(rs.getString(4))));
      }
    }
    return outcomes;
  }
}

package io.orchestrion.engine.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.JdbcValues;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's meters. Timers are recorded where the engine does the work; the gauges that count
 * rows (submissions by status, runs in ERROR, due jobs, unnumbered events, open and overdue work
 * items) are read from the database when scraped, all in one short transaction of their own, and
 * kept for {@link #SNAPSHOT_LIFETIME} so that several gauges of one scrape share one read. Tags are
 * bounded: flow and orchestration names, execution modes and statuses, never a run or a user.
 */
@Singleton
public final class EngineMetrics {
  /** How long one read of the counting gauges serves further scrapes. */
  public static final Duration SNAPSHOT_LIFETIME = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(EngineMetrics.class);

  private final MeterRegistry registry;
  private final Database database;
  private final Clock clock;
  private final Timer evaluationPass;
  private Snapshot snapshot = Snapshot.EMPTY;
  private Instant snapshotAt = Instant.MIN;

  @Inject
  public EngineMetrics(MeterRegistry registry, Database database, Clock clock) {
    this.registry = requireNonNull(registry, "registry is null");
    this.database = requireNonNull(database, "database is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.evaluationPass =
        Timer.builder("orchestrion.evaluation.pass")
            .description("Duration of one evaluation pass of a run (conditions, stage moves)")
            .register(registry);
    for (SubmissionStatus status : SubmissionStatus.values()) {
      Gauge.builder("orchestrion.submissions", this, metrics -> metrics.read().submissions(status))
          .description("Submissions by status")
          .tag("status", status.name())
          .register(registry);
    }
    gauge("orchestrion.runs.error", "Runs in ERROR, waiting for a retry", Snapshot::runsInError);
    gauge(
        "orchestrion.jobs.due",
        "Jobs whose due time has passed and that no worker holds (the asynchronous backlog)",
        Snapshot::dueJobs);
    gauge(
        "orchestrion.jobs.due.oldest.seconds",
        "How long the oldest due, unclaimed job has waited",
        Snapshot::oldestDueJobSeconds);
    gauge(
        "orchestrion.events.unnumbered",
        "Events committed but not yet given their place in the commit-order sequence",
        Snapshot::unnumberedEvents);
    gauge(
        "orchestrion.events.unnumbered.oldest.seconds",
        "Age of the oldest event still waiting for its sequence number (numbering lag)",
        Snapshot::oldestUnnumberedEventSeconds);
    FunctionCounter.builder(
            "orchestrion.h2.writes.beside.statements", database, Database::writesBesideStatements)
        .description(
            "Writes of the H2 file taken while a statement ran longer than a write waits for"
                + " (0 on other databases)")
        .register(registry);
    FunctionCounter.builder("orchestrion.h2.file.writes", database, Database::fileWrites)
        .description(
            "Writes of the H2 file the engine made, each for every commit before it began"
                + " (0 on other databases)")
        .register(registry);
    gauge("orchestrion.work.items.open", "Work items ASSIGNED", Snapshot::openWorkItems);
    gauge(
        "orchestrion.work.items.overdue",
        "Work items ASSIGNED past their due time",
        Snapshot::overdueWorkItems);
  }

  /** Records the duration of one evaluation pass. */
  public void evaluationPass(long nanos) {
    evaluationPass.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Records one job's hand-off lag: from its due time to the moment a worker starts it (negative
   * values, from clocks of nodes that differ, count as zero).
   */
  public void jobHandoff(Duration lag) {
    Timer.builder("orchestrion.jobs.handoff.lag")
        .description("Time from a job's due time to the moment a worker starts it")
        .register(registry)
        .record(lag.isNegative() ? Duration.ZERO : lag);
  }

  /** Records the duration of a step that ended, by its flow and execution mode. */
  public void stepEnded(String flow, String executionMode, String status, Duration duration) {
    Timer.builder("orchestrion.step.duration")
        .description("Duration of a step's flow, start to end (asynchronous ones included)")
        .tag("flow", flow)
        .tag("mode", executionMode)
        .tag("status", status)
        .register(registry)
        .record(duration);
  }

  /** Records the time from submission to a final status (approval cycle time). */
  public void submissionEnded(String orchestration, SubmissionStatus status, Duration duration) {
    Timer.builder("orchestrion.approval.cycle")
        .description("Time from submission to its final status")
        .tag("orchestration", orchestration)
        .tag("status", status.name())
        .register(registry)
        .record(duration);
  }

  /**
   * Records one webhook delivery attempt by its outcome (DELIVERED, RETRY, DEAD) and, when it was
   * delivered, the time from the event's publication to its delivery.
   */
  public void webhookAttempt(String outcome, Optional<Duration> lag) {
    Counter.builder("orchestrion.webhook.attempts")
        .description("Webhook delivery attempts by outcome (DELIVERED, RETRY, DEAD)")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    lag.ifPresent(
        value ->
            Timer.builder("orchestrion.webhook.delivery.lag")
                .description("Time from an event's publication to its webhook delivery")
                .register(registry)
                .record(value));
  }

  /**
   * Records one attempt of a plugin's notification listener at an event by its outcome (DELIVERED,
   * RETRY, DROPPED).
   */
  public void notificationAttempt(String listenerId, String outcome) {
    Counter.builder("orchestrion.notification.attempts")
        .description(
            "Deliveries of events to plugin notification listeners by listener and outcome"
                + " (DELIVERED, RETRY, DROPPED)")
        .tag("listener", listenerId)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  private void gauge(String name, String description, SnapshotValue value) {
    Gauge.builder(name, this, metrics -> value.of(metrics.read()))
        .description(description)
        .register(registry);
  }

  @FunctionalInterface
  private interface SnapshotValue {
    double of(Snapshot snapshot);
  }

  private synchronized Snapshot read() {
    Instant now = clock.instant();
    if (now.isBefore(snapshotAt.plus(SNAPSHOT_LIFETIME))) {
      return snapshot;
    }
    try {
      snapshot = database.inTransaction(tx -> count(tx.connection(), now));
    } catch (RuntimeException e) {
      // A scrape must not fail because the database is away; the last values stay.
      log.warn("Reading the engine's gauges failed: {}", e.toString());
    }
    snapshotAt = now;
    return snapshot;
  }

  private static Snapshot count(Connection connection, Instant now) {
    try {
      Map<SubmissionStatus, Long> submissions = new EnumMap<>(SubmissionStatus.class);
      try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT status, COUNT(*) FROM submissions GROUP BY status");
          ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          submissions.put(SubmissionStatus.valueOf(rows.getString(1)), rows.getLong(2));
        }
      }
      long runsInError =
          single(connection, "SELECT COUNT(*) FROM runs WHERE status = 'ERROR'", Optional.empty());
      OffsetDateTime at = JdbcValues.utc(now);
      long[] dueJobs =
          countAndOldest(
              connection,
              "SELECT COUNT(*), MIN(due_at) AS oldest FROM jobs WHERE due_at <= ?"
                  + " AND (lease_until IS NULL OR lease_until < ?)",
              List.of(at, at),
              now);
      long[] unnumbered =
          countAndOldest(
              connection,
              "SELECT COUNT(*), MIN(published_at) AS oldest FROM events WHERE sequence IS NULL",
              List.of(),
              now);
      long openWorkItems =
          single(
              connection,
              "SELECT COUNT(*) FROM work_items WHERE status = 'ASSIGNED'",
              Optional.empty());
      long overdueWorkItems =
          single(
              connection,
              "SELECT COUNT(*) FROM work_items WHERE status = 'ASSIGNED' AND due_at < ?",
              Optional.of(at));
      return new Snapshot(
          submissions,
          runsInError,
          dueJobs[0],
          dueJobs[1],
          unnumbered[0],
          unnumbered[1],
          openWorkItems,
          overdueWorkItems);
    } catch (SQLException e) {
      throw Database.databaseError("reading the engine's gauges", e);
    }
  }

  private static long single(Connection connection, String sql, Optional<OffsetDateTime> at)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      if (at.isPresent()) {
        statement.setObject(1, at.get());
      }
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    }
  }

  /** The count and the age in seconds of the oldest row (0 without rows). */
  private static long[] countAndOldest(
      Connection connection, String sql, List<Object> parameters, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return new long[] {0, 0};
        }
        long count = rows.getLong(1);
        long oldest =
            JdbcValues.getInstant(rows, "oldest")
                .map(since -> Math.max(0, Duration.between(since, now).toSeconds()))
                .orElse(0L);
        return new long[] {count, oldest};
      }
    }
  }

  private record Snapshot(
      Map<SubmissionStatus, Long> submissionsByStatus,
      long runsInError,
      long dueJobs,
      long oldestDueJobSeconds,
      long unnumberedEvents,
      long oldestUnnumberedEventSeconds,
      long openWorkItems,
      long overdueWorkItems) {
    static final Snapshot EMPTY = new Snapshot(Map.of(), 0, 0, 0, 0, 0, 0, 0);

    Snapshot {
      submissionsByStatus = Map.copyOf(submissionsByStatus);
    }

    double submissions(SubmissionStatus status) {
      return submissionsByStatus.getOrDefault(status, 0L);
    }
  }
}

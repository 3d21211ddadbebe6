package io.orchestrion.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.FlowEvent;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.flow.json.StrictJsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Cross-node hand-off with its time line (issue 12): node A (no workers) publishes the flow event
 * an interview waits for; node B (polling once an hour, so only the notification can wake it)
 * claims the job and runs the segment that ends the step. Both nodes run on a {@link
 * TracingDataSource}, and a listener of the benchmark's own (a platform thread on a connection of
 * its own) notes when PostgreSQL delivered the notification, so each hand-off is cut into:
 *
 * <ol>
 *   <li>A's commit → A's publish call returned;
 *   <li>A's commit → the notification heard (by the benchmark's listener: PostgreSQL signals every
 *       listening backend at the same commit, so B's listener connection gets it at the same time);
 *   <li>notification heard → B's poller asks its pool for the claim's connection (B's listener
 *       thread reading it, waking the poller);
 *   <li>B's claim transaction (connection asked → committed);
 *   <li>claim committed → the segment asks for its connection (dispatch to a worker);
 *   <li>B's segment transaction (connection asked → committed).
 * </ol>
 *
 * The headline figure, as before, is from A's publish call returning to the step's end as B
 * recorded it ({@code endedAt}, in the segment's transaction).
 */
final class HandoffBenchmark {
  /** Stage names, in time-line order; the last two are totals. */
  static final List<String> STAGES =
      List.of(
          "A commit → publish returned",
          "A commit → notification heard",
          "heard → B claim asks connection",
          "B claim transaction",
          "claim committed → segment asks connection",
          "B segment transaction",
          "total: A commit → B segment committed",
          "headline: publish returned → step endedAt");

  /** One hand-off's stages in microseconds, in {@link #STAGES} order. */
  record Sample(long[] micros) {}

  private final DatabaseConfig database;
  private final int handoffs;
  private final ConcurrentLinkedQueue<Long> heard = new ConcurrentLinkedQueue<>();

  HandoffBenchmark(DatabaseConfig database, int handoffs) {
    this.database = database;
    this.handoffs = handoffs;
  }

  List<Sample> run() throws Exception {
    Duration hourly = Duration.ofHours(1);
    try (HikariDataSource poolA = DataSources.create(database);
        HikariDataSource poolB = DataSources.create(database)) {
      TracingDataSource traceA = new TracingDataSource(poolA);
      TracingDataSource traceB = new TracingDataSource(poolB);
      try (OrchestrionEngine nodeA =
              OrchestrionEngine.create(
                      EngineConfig.defaults(database)
                          .withNodeId("bench-node-a")
                          .withStartWorkers(false)
                          .withPollInterval(hourly),
                      traceA,
                      Clock.systemUTC())
                  .start();
          OrchestrionEngine nodeB =
              OrchestrionEngine.create(
                      EngineConfig.defaults(database)
                          .withNodeId("bench-node-b")
                          .withPollInterval(hourly),
                      traceB,
                      Clock.systemUTC())
                  .start();
          Connection listening = listen()) {
        deploy(nodeA);
        Thread listener =
            Thread.ofPlatform().daemon().name("bench-listener").start(() -> hear(listening));
        try {
          while (!nodeB.listening()) {
            Thread.sleep(5);
          }
          for (int i = 0; i < 20; i++) {
            handoff(nodeA, nodeB, traceA, traceB, i); // warm-up
          }
          List<Sample> samples = new ArrayList<>();
          for (int i = 0; i < handoffs; i++) {
            samples.add(handoff(nodeA, nodeB, traceA, traceB, 20 + i));
          }
          return samples;
        } finally {
          listener.interrupt();
        }
      }
    }
  }

  private Sample handoff(
      OrchestrionEngine nodeA,
      OrchestrionEngine nodeB,
      TracingDataSource traceA,
      TracingDataSource traceB,
      int number)
      throws Exception {
    String recordId = Workload.createRecord(nodeB, number);
    String runId =
        nodeB
            .submissions()
            .submit(
                new SubmitRequest(
                    Workload.OBJECT_TYPE, recordId, "Bench_Handoff", Optional.empty()),
                "bench")
            .runId();
    // The interview waits once its first segment (a job on B) committed the wait.
    awaitTransaction(traceB, t -> t.jobRun() && t.committed(), null);
    traceA.drain();
    traceB.drain();
    heard.clear();

    nodeA.flowEvents().publish(new FlowEvent("bench.go", recordId, Map.of()));
    long returned = System.nanoTime();
    Instant returnedAt = Instant.now();
    List<TracingDataSource.Transaction> onB = new ArrayList<>();
    TracingDataSource.Transaction segment =
        awaitTransaction(traceB, t -> t.jobRun() && t.committed(), onB);
    RunView run = nodeB.runs().get(runId);
    if (run.status() == RunStatus.IN_PROGRESS) {
      throw new IllegalStateException("hand-off " + number + " did not end the run: " + run);
    }
    Instant endedAt = run.stages().getFirst().steps().getFirst().endedAt().orElseThrow();

    TracingDataSource.Transaction publish =
        traceA.drain().stream()
            .filter(TracingDataSource.Transaction::notifies)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("A's publish sent no NOTIFY"));
    TracingDataSource.Transaction claim =
        onB.stream()
            .filter(t -> t.claim() && t.committed() && t.endedNanos() <= segment.askedNanos())
            .max(Comparator.comparingLong(TracingDataSource.Transaction::endedNanos))
            .orElseThrow(() -> new IllegalStateException("no claim on B before the segment"));
    long notified =
        heard.stream()
            .filter(nanos -> nanos >= publish.firstStatementNanos())
            .min(Long::compare)
            .orElse(claim.askedNanos());
    long commitA = publish.endedNanos();
    long[] micros = {
      returned - commitA,
      notified - commitA,
      claim.askedNanos() - notified,
      claim.endedNanos() - claim.askedNanos(),
      segment.askedNanos() - claim.endedNanos(),
      segment.endedNanos() - segment.askedNanos(),
      segment.endedNanos() - commitA,
      Duration.between(returnedAt, endedAt).toNanos()
    };
    for (int i = 0; i < micros.length; i++) {
      micros[i] /= 1000;
    }
    return new Sample(micros);
  }

  /**
   * Waits (blocked, without queries or spinning that would load the nodes) for a transaction on
   * {@code trace} that {@code matches}; the transactions drained meanwhile are added to {@code
   * seen}.
   */
  private static TracingDataSource.Transaction awaitTransaction(
      TracingDataSource trace,
      Predicate<TracingDataSource.Transaction> matches,
      List<TracingDataSource.Transaction> seen)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      TracingDataSource.Transaction t =
          trace.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (t == null) {
        break;
      }
      if (seen != null) {
        seen.add(t);
      }
      if (matches.test(t)) {
        return t;
      }
    }
    throw new IllegalStateException("no matching transaction within 30 s");
  }

  private Connection listen() throws SQLException {
    Connection connection =
        DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    connection.setAutoCommit(true);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LISTEN " + WorkSignals.JOBS_CHANNEL);
    }
    return connection;
  }

  private void hear(Connection connection) {
    try {
      PGConnection postgres = connection.unwrap(PGConnection.class);
      while (!Thread.currentThread().isInterrupted()) {
        PGNotification[] notifications = postgres.getNotifications(200);
        if (notifications != null && notifications.length > 0) {
          heard.add(System.nanoTime());
        }
      }
    } catch (SQLException e) {
      if (!Thread.currentThread().isInterrupted()) {
        System.err.println("benchmark listener stopped: " + e);
      }
    }
  }

  private static void deploy(OrchestrionEngine node) {
    Workload.define(node, Workload.Scenario.THREE_STAGES);
    StrictJsonReader json = new StrictJsonReader(OrchestrionJson.newObjectMapper());
    node.flows()
        .deploy(json.read(resource("flow-await-event.json"), FlowDefinition.class, "flow"), true);
    node.orchestrations()
        .deploy(
            json.read(
                resource("orchestration-handoff.json"),
                OrchestrationDefinition.class,
                "orchestration"),
            true);
  }

  /** Prints each stage's percentiles and the stages of the slowest hand-offs. */
  static void report(List<Sample> samples) {
    System.out.printf(
        "Cross-node hand-off, %d samples (µs → ms): stage | p50 | p90 | p99 | max%n",
        samples.size());
    System.out.println("| stage | p50 ms | p90 ms | p99 ms | max ms |");
    System.out.println("|---|---|---|---|---|");
    for (int stage = 0; stage < STAGES.size(); stage++) {
      int index = stage;
      long[] sorted = samples.stream().mapToLong(s -> s.micros()[index]).sorted().toArray();
      System.out.printf(
          "| %s | %.1f | %.1f | %.1f | %.1f |%n",
          STAGES.get(stage),
          percentile(sorted, 0.50) / 1000.0,
          percentile(sorted, 0.90) / 1000.0,
          percentile(sorted, 0.99) / 1000.0,
          sorted[sorted.length - 1] / 1000.0);
    }
    int slowest = Math.max(1, samples.size() / 50);
    System.out.printf("The %d slowest hand-offs (by the headline), stages in ms:%n", slowest);
    samples.stream()
        .sorted(Comparator.comparingLong((Sample s) -> s.micros()[7]).reversed())
        .limit(slowest)
        .forEach(
            s ->
                System.out.println(
                    "  "
                        + Arrays.stream(s.micros())
                            .mapToObj(m -> String.format("%.1f", m / 1000.0))
                            .toList()));
  }

  static long percentile(long[] sorted, double fraction) {
    int index = (int) Math.ceil(fraction * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static String resource(String name) {
    try (InputStream in = HandoffBenchmark.class.getResourceAsStream("/bench/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource /bench/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

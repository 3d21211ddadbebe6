package io.orchestrion.benchmarks;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.benchmarks.Measurements.Baseline;
import io.orchestrion.benchmarks.Measurements.Cpu;
import io.orchestrion.benchmarks.Measurements.Latencies;
import io.orchestrion.benchmarks.Measurements.Pacing;
import io.orchestrion.benchmarks.Measurements.Result;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.SubmitRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import javax.sql.DataSource;

/**
 * One end-to-end measurement on one database: a real engine with workers over a counted pool,
 * {@link Workload}'s orchestration, warm-up submissions, then {@code submissions} submissions from
 * {@code threads} threads, each timed from just before its submit call to the commit time the
 * engine wrote when it approved the submission ({@code submissions.updated_at}), so that the
 * driver's completion polling (a {@code COUNT(*)} every {@link #POLL_INTERVAL} on its own
 * connection) neither adds to the latencies nor to the engine's counts.
 */
final class EndToEndBenchmark {
  static final String SUBMIT_THREAD_PREFIX = "bench-submit-";
  static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  /** A send later than this after its due time counts as late. */
  static final Duration LATE_SEND = Duration.ofMillis(1);

  /**
   * How to run.
   *
   * @param api how the measured operations reach the engine
   * @param rate submissions per second over all threads (open loop: submission i is due i/rate
   *     after the first, and its latencies count from then, however late a busy thread sends it); 0
   *     for as fast as the threads can submit (closed loop on the submit call: the asynchronous
   *     work queues up behind it)
   */
  record Options(
      EngineHost.Api api,
      Workload.Scenario scenario,
      int submissions,
      int threads,
      int deciders,
      int warmup,
      int poolSize,
      int workerConcurrency,
      int jobGroupSize,
      int commandGroupSize,
      int jobTransactionsAtOnce,
      Duration commitFlush,
      double rate,
      Duration baselineDuration,
      Duration stallTimeout,
      int plans,
      HistorySize history) {
    Options {
      if (submissions < 1
          || threads < 1
          || deciders < 1
          || warmup < 0
          || poolSize < 1
          || workerConcurrency < 1
          || jobGroupSize < 1
          || commandGroupSize < 1) {
        throw new IllegalArgumentException(
            "submissions, threads, pool size, worker concurrency and group sizes must be"
                + " positive and warmup not negative");
      }
      // The engine's own rule, named by the option that sets it here.
      try {
        EngineConfig.checkJobTransactionsAtOnce(jobTransactionsAtOnce);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--job-transactions: " + e.getMessage(), e);
      }
      if (rate < 0) {
        throw new IllegalArgumentException("rate must not be negative: " + rate);
      }
      requireNonNull(api, "api is null");
      requireNonNull(scenario, "scenario is null");
      requireNonNull(baselineDuration, "baselineDuration is null");
      requireNonNull(stallTimeout, "stallTimeout is null");
      requireNonNull(history, "history is null");
      requireNonNull(commitFlush, "commitFlush is null");
      if (commitFlush.isNegative()) {
        throw new IllegalArgumentException(
            "the commit flush (--commit-flush-ms) must not be negative: "
                + commitFlush.toNanos() / 1e6
                + " ms");
      }
    }

    Options withHistory(HistorySize newHistory) {
      return with(api, rate, newHistory);
    }

    Options withRate(double newRate) {
      return with(api, newRate, history);
    }

    Options withApi(EngineHost.Api newApi) {
      return with(newApi, rate, history);
    }

    /** These options with the three that a run of several parts changes between them. */
    private Options with(EngineHost.Api newApi, double newRate, HistorySize newHistory) {
      return new Options(
          newApi,
          scenario,
          submissions,
          threads,
          deciders,
          warmup,
          poolSize,
          workerConcurrency,
          jobGroupSize,
          commandGroupSize,
          jobTransactionsAtOnce,
          commitFlush,
          newRate,
          baselineDuration,
          stallTimeout,
          plans,
          newHistory);
    }
  }

  /**
   * One submission: its id, when its latency starts (the due time in an open loop, else when the
   * call began), how long the call took, and how late it was sent (open loop; else 0).
   */
  private record Submitted(
      String submissionId, Instant startedAt, long submitCallMicros, long lateNanos) {}

  private final BenchDatabase database;
  private final Options options;
  private final AtomicLong monitorQueries = new AtomicLong();

  EndToEndBenchmark(BenchDatabase database, Options options) {
    this.database = requireNonNull(database, "database is null");
    this.options = requireNonNull(options, "options is null");
  }

  /**
   * An experiment, not an option: {@code -Dbench.experiment.sql="ALTER ...; DROP ..."} runs those
   * statements (split at every {@code ;}, so none may hold one of its own) once the engine has
   * migrated the schema, before the baseline, to measure a schema change without building it into
   * the engine (benchmarks/README.md, "At steady state").
   */
  private static void runExperimentSql(DataSource pool) throws SQLException {
    String experiment = System.getProperty("bench.experiment.sql");
    if (experiment == null || experiment.isBlank()) {
      return;
    }
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : experiment.split(";")) {
        if (!sql.isBlank()) {
          System.out.println("experiment: " + sql.strip());
          statement.execute(sql.strip());
        }
      }
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    }
  }

  Result run() throws Exception {
    HikariDataSource pool = DataSources.create(database.engineConnection(options.poolSize()));
    // With an emulated commit device, the engine and the baseline both commit through it.
    DataSource committing =
        options.commitFlush().isZero() ? pool : new SerialCommitDevice(pool, options.commitFlush());
    CountingDataSource counted = new CountingDataSource(committing, SUBMIT_THREAD_PREFIX);
    EngineConfig config =
        EngineConfig.defaults(database.engineConnection(options.poolSize()))
            .withWorkerConcurrency(options.workerConcurrency())
            .withJobGroupSize(options.jobGroupSize())
            .withCommandGroupSize(options.commandGroupSize())
            .withJobTransactionsAtOnce(options.jobTransactionsAtOnce())
            // An experiment, not an option: -Dbench.h2.housekeeping=PT0S turns the H2 file's
            // housekeeping off, to measure what it costs and saves.
            .withH2Housekeeping(
                Duration.parse(
                    System.getProperty(
                        "bench.h2.housekeeping", EngineConfig.DEFAULT_H2_HOUSEKEEPING.toString())))
            // Likewise -Dbench.h2.writeGather=PT0S: writes of the H2 file begin at once.
            .withH2WriteGather(
                Duration.parse(
                    System.getProperty(
                        "bench.h2.writeGather", EngineConfig.DEFAULT_H2_WRITE_GATHER.toString())));
    EngineHost host;
    try {
      host =
          switch (options.api()) {
            case IN_PROCESS ->
                new InProcessHost(
                    OrchestrionEngine.create(config, counted, Clock.systemUTC()).start());
            case HTTP ->
                HttpHost.start(
                    database.engineConnection(options.poolSize()),
                    counted,
                    options.poolSize(),
                    options.workerConcurrency(),
                    options.jobGroupSize(),
                    options.commandGroupSize(),
                    options.jobTransactionsAtOnce());
          };
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    OrchestrionEngine engine = host.engine();
    boolean engineOpen = true;
    Approver approver = null;
    try (Connection monitor = database.openMonitor();
        Connection approverMonitor = database.openMonitor()) {
      SubmissionMonitor submissions =
          new SubmissionMonitor(monitor, monitorQueries, options.stallTimeout());
      Workload.define(engine, options.scenario());
      runExperimentSql(pool);
      Optional<HistorySeeder.Seeded> history = Optional.empty();
      if (!options.history().isEmpty()) {
        history =
            Optional.of(
                new HistorySeeder(engine, database, options.scenario(), System.out)
                    .seed(options.history()));
      }
      awaitFullPool(pool);
      Baseline baseline = CommitBaseline.measure(database, committing, options);
      List<String> records = createRecords(engine, options.warmup() + options.submissions());
      if (options.scenario().approvals > 0) {
        approver =
            new Approver(host::decide, approverMonitor, options.deciders(), monitorQueries).start();
      }

      List<String> failures = new ArrayList<>();
      // Completion is polled among the submissions made since: seeded history is older.
      Instant warmupStart = Instant.now().minusMillis(1);
      List<Submitted> warmup = submitAll(host, records.subList(0, options.warmup()), failures);
      submissions.awaitCompletion(warmup.size(), warmupStart);

      database.resetCounters(() -> pool.getHikariPoolMXBean().softEvictConnections());
      counted.reset();
      monitorQueries.set(0);
      failures.clear();

      OptionalLong serverPid = database.serverProcessId();
      Optional<Map<Long, Duration>> serverBefore =
          serverPid.isPresent() ? CpuTime.tree(serverPid.getAsLong()) : Optional.empty();
      Map<Long, CpuTime.ThreadTime> threadsBefore = CpuTime.threads();
      Duration jvmBefore = CpuTime.process();
      Duration compilingBefore = CpuTime.compilation();
      Duration collectingBefore = CpuTime.collections();
      long wallBefore = System.nanoTime();
      Instant measuredStart = Instant.now().minusMillis(1);
      long retriesBefore = host.retries();
      List<Submitted> measured;
      List<String> stuck;
      WakeupProbe.Floor wakeups;
      WindowRecording recording = WindowRecording.start();
      try (WakeupProbe probe = new WakeupProbe().start()) {
        measured = submitAll(host, records.subList(options.warmup(), records.size()), failures);
        stuck = submissions.awaitCompletion(measured.size(), measuredStart);
        wakeups = probe.snapshot();
      } finally {
        recording.close();
      }
      Duration jvmCpu = CpuTime.process().minus(jvmBefore);
      Map<CpuTime.ThreadRole, Duration> byThread =
          CpuTime.byRole(threadsBefore, CpuTime.threads(), jvmCpu);
      Duration wall = Duration.ofNanos(System.nanoTime() - wallBefore);
      Optional<Duration> serverCpu =
          serverBefore.flatMap(
              before ->
                  CpuTime.tree(serverPid.getAsLong()).map(after -> CpuTime.between(before, after)));
      Cpu cpu =
          new Cpu(
              jvmCpu,
              byThread,
              serverCpu,
              wall,
              CpuTime.compilation().minus(compilingBefore),
              CpuTime.collections().minus(collectingBefore));
      if (approver != null) {
        approver.close();
        failures.addAll(approver.failures());
        approver = null;
      }
      List<String> stuckRuns = submissions.describeStuck(engine, stuck);
      Map<String, SubmissionMonitor.Outcome> outcomes = submissions.readOutcomes(measuredStart);
      long retries = host.retries() - retriesBefore;
      String api = host.description();

      host.close();
      engineOpen = false;
      pool.close();
      CountingDataSource.Snapshot jdbc = counted.snapshot();
      HandoffTimes.Latencies handoffs = counted.handoffs();
      long driverQueries = monitorQueries.get();
      BenchDatabase.ServerCounts server = database.readCounters(driverQueries);
      String plans = "";
      if (options.plans() > 0) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        QueryPlans.print(
            monitor,
            database instanceof EmbeddedPostgresDatabase,
            server.statementCounts(),
            options.plans(),
            new PrintStream(text, true, StandardCharsets.UTF_8));
        plans = text.toString(StandardCharsets.UTF_8);
      }
      return summarise(
          api,
          measured,
          outcomes,
          handoffs,
          wakeups,
          retries,
          failures,
          stuckRuns,
          jdbc,
          server,
          driverQueries,
          baseline,
          cpu,
          plans,
          history);
    } finally {
      if (approver != null) {
        approver.close();
      }
      if (engineOpen) {
        host.close();
      }
      pool.close();
    }
  }

  private Result summarise(
      String api,
      List<Submitted> measured,
      Map<String, SubmissionMonitor.Outcome> outcomes,
      HandoffTimes.Latencies handoffs,
      WakeupProbe.Floor wakeups,
      long retries,
      List<String> failures,
      List<String> stuck,
      CountingDataSource.Snapshot jdbc,
      BenchDatabase.ServerCounts server,
      long driverQueries,
      Baseline baseline,
      Cpu cpu,
      String plans,
      Optional<HistorySeeder.Seeded> history)
      throws SQLException {
    long[] endToEnd = new long[measured.size()];
    long[] submitCalls = new long[measured.size()];
    int approved = 0;
    Map<String, Integer> others = new HashMap<>();
    Instant first = Instant.MAX;
    Instant last = Instant.MIN;
    int lateSends = 0;
    long maxLateNanos = 0;
    for (Submitted submitted : measured) {
      if (submitted.lateNanos() > LATE_SEND.toNanos()) {
        lateSends++;
      }
      maxLateNanos = Math.max(maxLateNanos, submitted.lateNanos());
      first = submitted.startedAt().isBefore(first) ? submitted.startedAt() : first;
      SubmissionMonitor.Outcome outcome = outcomes.get(submitted.submissionId());
      if (outcome != null && outcome.status() == SubmissionStatus.APPROVED) {
        endToEnd[approved] = Duration.between(submitted.startedAt(), outcome.at()).toNanos() / 1000;
        submitCalls[approved] = submitted.submitCallMicros();
        approved++;
        last = outcome.at().isAfter(last) ? outcome.at() : last;
      } else {
        String status = outcome == null ? "MISSING" : outcome.status().name();
        others.merge(status, 1, Integer::sum);
        if (outcome != null && outcome.error().isPresent() && failures.size() < 5) {
          failures.add(status + ": " + outcome.error().get());
        }
      }
    }
    Duration elapsed = approved == 0 ? Duration.ZERO : Duration.between(first, last);
    return new Result(
        database.name(),
        database.settings(),
        api,
        options,
        approved,
        others,
        failures,
        stuck,
        elapsed,
        Latencies.of(Arrays.copyOf(endToEnd, approved)),
        Latencies.of(Arrays.copyOf(submitCalls, approved)),
        handoffs,
        wakeups,
        new Pacing(lateSends, Duration.ofNanos(maxLateNanos)),
        retries,
        jdbc,
        server,
        driverQueries,
        baseline,
        cpu,
        plans,
        history);
  }

  /**
   * Waits (up to 30 s) until the pool has opened all its connections: H2 applies the URL's settings
   * to each new connection, which would undo the baseline's {@code SET WRITE_DELAY 0} if the pool
   * opened one during the baseline.
   */
  private static void awaitFullPool(HikariDataSource pool) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (pool.getHikariPoolMXBean().getTotalConnections() < pool.getMaximumPoolSize()
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private List<String> createRecords(OrchestrionEngine engine, int count) throws Exception {
    String[] ids = new String[count];
    parallel("bench-setup-", count, i -> ids[i] = Workload.createRecord(engine, i));
    return List.of(ids);
  }

  private List<Submitted> submitAll(EngineHost host, List<String> recordIds, List<String> failures)
      throws Exception {
    ConcurrentLinkedQueue<Submitted> submitted = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    // The schedule of an open loop: submission i is due at i/rate after these two instants (one
    // monotonic, to wait; one wall-clock, to compare with the approval time the engine writes).
    Instant pacingStartWall = Instant.now();
    long pacingStart = System.nanoTime();
    parallel(
        SUBMIT_THREAD_PREFIX,
        recordIds.size(),
        i -> {
          SubmitRequest request =
              new SubmitRequest(
                  Workload.OBJECT_TYPE,
                  recordIds.get(i),
                  options.scenario().orchestration,
                  Optional.empty());
          Instant startedAt;
          long late = 0;
          if (options.rate() > 0) {
            // Open loop: submission i is due at i/rate after the first. A thread that is late
            // (every thread was busy at the due time) submits at once, but the latency still
            // starts at the due time: the wait for a free thread is part of what a client at
            // this rate would see (no coordinated omission).
            long dueOffset = (long) (i * 1e9 / options.rate());
            long wait = pacingStart + dueOffset - System.nanoTime();
            while (wait > 0) {
              LockSupport.parkNanos(wait);
              wait = pacingStart + dueOffset - System.nanoTime();
            }
            late = -wait;
            startedAt = pacingStartWall.plusNanos(dueOffset);
          } else {
            startedAt = Instant.now();
          }
          long start = System.nanoTime();
          try {
            String id = host.submit(request);
            submitted.add(new Submitted(id, startedAt, (System.nanoTime() - start) / 1000, late));
          } catch (RuntimeException e) {
            errors.add(e.toString());
            if (errors.size() == 1) {
              System.err.println("First submit failure (record " + recordIds.get(i) + "):");
              e.printStackTrace();
            }
          }
        });
    errors.stream().limit(5).forEach(failures::add);
    if (errors.size() > 5) {
      failures.add("... and " + (errors.size() - 5) + " more submit failures");
    }
    return List.copyOf(submitted);
  }

  /** Runs {@code task(0..count-1)} on {@code options.threads()} threads named with a prefix. */
  private void parallel(String threadPrefix, int count, IntConsumer task) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            options.threads(), Thread.ofPlatform().name(threadPrefix, 0).factory());
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < options.threads(); t++) {
        workers.add(
            threads.submit(
                () -> {
                  try {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                      task.accept(i);
                    }
                  } finally {
                    // The pool ends before the CPU reading after the run: count its threads.
                    CpuTime.taskEnding();
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      threads.shutdown();
      threads.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  static double seconds(Duration duration) {
    return Math.max(1e-9, duration.toNanos() / 1e9);
  }
}

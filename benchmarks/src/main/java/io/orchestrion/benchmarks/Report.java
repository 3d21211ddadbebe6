package io.orchestrion.benchmarks;

import io.orchestrion.benchmarks.CountingDataSource.CodePath;
import io.orchestrion.benchmarks.CountingDataSource.PathCounts;
import io.orchestrion.benchmarks.Measurements.Latencies;
import io.orchestrion.benchmarks.Measurements.Result;
import io.orchestrion.engine.api.EngineConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Prints one {@link Result} as the human-readable report described in benchmarks/README.md. */
final class Report {
  private static final int TOP_STATEMENTS = 30;

  /** Issue 11's targets read from these reports. */
  static final double HANDOFF_P99_TARGET_MS = 10;

  static final double HTTP_RATIO_TARGET = 0.5;

  private Report() {}

  private static String abbreviate(String sql, int length) {
    String oneLine = sql.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= length ? oneLine : oneLine.substring(0, length) + "...";
  }

  static void print(Result result, PrintStream out) {
    EndToEndBenchmark.Options options = result.options();
    double n = Math.max(1, result.approved());
    out.println();
    out.println("=== " + result.database() + " ===");
    out.println("settings: " + result.settings());
    if (!options.commitFlush().isZero()) {
      out.printf(
          Locale.ROOT,
          "commit device: emulated, one commit at a time, %.2f ms each after the database's commit,"
              + " for the engine and the baseline (--commit-flush-ms)%n",
          options.commitFlush().toNanos() / 1e6);
    }
    out.printf(
        Locale.ROOT,
        "workload: %d submissions of %s (%s) from %d threads;"
            + " warm-up %d; pool %d connections; %d workers, job groups of up to %d, job"
            + " transactions at once %s, submission and decision groups of up to %d; %s%n",
        options.submissions(),
        options.scenario().orchestration,
        options.scenario().description,
        options.threads(),
        options.warmup(),
        options.poolSize(),
        options.workerConcurrency(),
        options.jobGroupSize(),
        switch (options.jobTransactionsAtOnce()) {
          case EngineConfig.NO_CAP_ON_JOB_TRANSACTIONS -> "not capped";
          case EngineConfig.JOB_TRANSACTIONS_BY_DATABASE -> "as the database suits (the default)";
          default -> Integer.toString(options.jobTransactionsAtOnce());
        },
        options.commandGroupSize(),
        options.rate() > 0
            ? String.format(Locale.ROOT, "open loop at %.0f submissions/s", options.rate())
            : "closed loop (each thread submits as soon as its previous submit call returned)");
    out.println("api: " + result.api());
    result
        .history()
        .ifPresent(
            seeded ->
                out.printf(
                    Locale.ROOT,
                    "history: %,d finished + %,d waiting submissions seeded before the run (%.1f"
                        + " s, not measured; rows: %s)%n",
                    seeded.size().finished(),
                    seeded.size().waiting(),
                    EndToEndBenchmark.seconds(seeded.elapsed()),
                    seeded.rows()));
    out.printf(
        Locale.ROOT,
        "outcome: %d APPROVED%s%n",
        result.approved(),
        result.otherStatuses().isEmpty() ? "" : ", others " + result.otherStatuses());
    result.submitFailures().forEach(failure -> out.println("  failure: " + failure));
    if (!result.stuck().isEmpty()) {
      out.println("STUCK (no progress for " + options.stallTimeout() + "):");
      result.stuck().forEach(line -> out.println("  " + line));
    }
    double perSecond = result.submissionsPerSecond();
    out.printf(
        Locale.ROOT,
        "throughput: %.1f submissions/s (%d approved in %.2f s, first submit to last approval)%n",
        perSecond,
        result.approved(),
        EndToEndBenchmark.seconds(result.elapsed()));
    printLatencies(out, "latency submit -> APPROVED", result.endToEnd());
    printLatencies(out, "latency of the submit call", result.submitCall());
    HandoffTimes.Latencies handoffs = result.handoffs();
    out.printf(
        Locale.ROOT,
        "async hand-off, step job committed -> a worker reads it (ms): p50 %.2f  p90 %.2f  p99 %.2f"
            + "  max %.2f (%d hand-offs%s; target p99 <= %.0f ms at half the maximum rate, open"
            + " loop)%n",
        handoffs.p50() / 1000.0,
        handoffs.p90() / 1000.0,
        handoffs.p99() / 1000.0,
        handoffs.max() / 1000.0,
        handoffs.count(),
        handoffs.notStarted() == 0 ? "" : "; " + handoffs.notStarted() + " committed, never read",
        HANDOFF_P99_TARGET_MS);
    out.printf(
        Locale.ROOT,
        "  its parts p50/p99/max (ms): committed -> worker asks the pool %s; pool wait %s;"
            + " connection -> job read %s%n",
        part(handoffs.untilAsked()),
        part(handoffs.poolWait()),
        part(handoffs.afterGot()));
    out.printf(
        Locale.ROOT,
        "  same-run floor, a bare queue hand-off between two threads every %d ms, p50/p99/max (ms):"
            + " to a platform thread %s; to a virtual thread %s%n",
        WakeupProbe.PERIOD_MICROS / 1000,
        part(result.wakeups().platform()),
        part(result.wakeups().virtual()));
    if (options.rate() > 0) {
      out.printf(
          Locale.ROOT,
          "open-loop schedule: %d of %d sends left more than %d ms after their due time, the latest"
              + " %.1f ms late (latencies count from the due time)%n",
          result.pacing().lateSends(),
          result.approved(),
          EndToEndBenchmark.LATE_SEND.toMillis(),
          result.pacing().maxLateness().toNanos() / 1e6);
    }
    if (result.retries() > 0) {
      out.printf(
          Locale.ROOT,
          "HTTP: %d requests were shed by the server (429) and sent again%n",
          result.retries());
    }

    double baseline = result.baseline().commitsPerSecond();
    CountingDataSource.Snapshot jdbc = result.jdbc();
    double engineCommitsPerSecond = jdbc.commits() / EndToEndBenchmark.seconds(result.elapsed());
    out.printf(
        Locale.ROOT,
        "baseline: %.0f commits/s (INSERT one row + COMMIT, %d threads, same pool, %.1f s)%n",
        baseline,
        options.threads(),
        EndToEndBenchmark.seconds(result.baseline().elapsed()));
    out.printf(
        Locale.ROOT,
        "ratios: engine commits/s = %.2f x baseline; submissions/s = %.3f x baseline commits/s"
            + " (%.3f if every submission cost exactly its %d ideal commits)%n",
        engineCommitsPerSecond / baseline,
        perSecond / baseline,
        1.0 / options.scenario().idealCommits(),
        options.scenario().idealCommits());
    Measurements.Cpu cpu = result.cpu();
    out.printf(
        Locale.ROOT,
        "CPU per submission: %.2f ms in this JVM (engine + driver)%s; the JVM used %.2f of %d"
            + " cores over %.2f s%n",
        cpu.jvm().toNanos() / 1e6 / n,
        cpu.server()
            .map(
                spent ->
                    String.format(
                        Locale.ROOT,
                        " + %.2f ms in the database server = %.2f ms",
                        spent.toNanos() / 1e6 / n,
                        (cpu.jvm().toNanos() + spent.toNanos()) / 1e6 / n))
            .orElse(""),
        cpu.jvm().toNanos() / (double) Math.max(1, cpu.wall().toNanos()),
        Runtime.getRuntime().availableProcessors(),
        EndToEndBenchmark.seconds(cpu.wall()));
    if (!cpu.byThread().isEmpty()) {
      StringBuilder roles = new StringBuilder();
      for (CpuTime.ThreadRole role : CpuTime.ThreadRole.values()) {
        roles.append(
            String.format(
                Locale.ROOT,
                "%s%s %.2f",
                roles.isEmpty() ? "" : ", ",
                role.label,
                cpu.byThread().get(role).toNanos() / 1e6 / n));
      }
      out.printf(
          Locale.ROOT,
          "  by thread (ms/sub): %s%n  engine's share: %.2f ms/sub (the JVM less the driver-only"
              + " threads%s)%n",
          roles,
          cpu.engine(options.api()).orElseThrow().toNanos() / 1e6 / n,
          options.api() == EngineHost.Api.HTTP
              ? " and the submit/decide threads, which only run the HTTP client"
              : "; the submit/decide threads run the engine's submit and decide code in process");
    }
    printWarmth(cpu, n, out);

    BenchDatabase.ServerCounts server = result.server();
    out.println("per submission (engine's connections only; the driver's polling excluded):");
    out.printf(Locale.ROOT, "  %-46s %12s %12s%n", "", "database", "JDBC");
    out.printf(
        Locale.ROOT,
        "  %-46s %12.2f %12.2f%n",
        "statements (excl. BEGIN/COMMIT/ROLLBACK/SAVEPOINT)",
        server.statements() / n,
        jdbc.statements() / n);
    out.printf(
        Locale.ROOT,
        "  %-46s %12s %12.2f%n",
        "commits",
        server.commits().map(c -> String.format(Locale.ROOT, "%.2f", c / n)).orElse("n/a"),
        jdbc.commits() / n);
    out.printf(
        Locale.ROOT,
        "  %-46s %12s %12.3f%n",
        "submissions per commit (inverse)",
        "",
        n / Math.max(1, jdbc.commits()));
    out.printf(
        Locale.ROOT,
        "  %-46s %12s %12.2f%n",
        "rollbacks",
        server.transactionControl().containsKey("ROLLBACK")
            ? String.format(Locale.ROOT, "%.2f", server.transactionControl().get("ROLLBACK") / n)
            : "-",
        jdbc.rollbacks() / n);
    out.printf(
        Locale.ROOT,
        "  %-46s %12s %12.2f%n",
        "JDBC round trips (calls + commits; batch = 1)",
        "",
        (jdbc.calls() + jdbc.commits() + jdbc.rollbacks()) / n);
    server
        .transactionControl()
        .forEach(
            (kind, count) ->
                out.printf(Locale.ROOT, "  %-46s %12.2f%n", kind + " (database)", count / n));
    out.printf(
        Locale.ROOT,
        "  %-46s %12s %12.2f%n",
        "savepoint operations (set/release/rollback to)",
        "",
        jdbc.savepointOperations() / n);
    StringBuilder verbs = new StringBuilder();
    jdbc.statementsByVerb()
        .forEach(
            (verb, count) -> verbs.append(String.format(Locale.ROOT, " %s %.2f", verb, count / n)));
    out.println("  statements by verb (JDBC):" + verbs);
    if (!server.tuples().isEmpty()) {
      StringBuilder tuples = new StringBuilder();
      StringBuilder tables = new StringBuilder();
      StringBuilder store = new StringBuilder();
      server
          .tuples()
          .forEach(
              (name, count) -> {
                if (name.startsWith("mvstore.")) {
                  store.append(
                      String.format(
                          Locale.ROOT,
                          " %s %.1f",
                          name.substring("mvstore.".length()),
                          name.endsWith("_bytes") ? count / n / 1024 : count / n));
                } else if (name.startsWith("tup_") || name.startsWith("xact_")) {
                  tuples.append(String.format(Locale.ROOT, " %s %.1f", name, count / n));
                } else if (count / n >= 0.5) {
                  tables.append(String.format(Locale.ROOT, " %s %.1f", name, count / n));
                }
              });
      if (!store.isEmpty()) {
        out.println("  H2 MVStore file per submission (*_bytes in KiB):" + store);
      }
      if (!tuples.isEmpty()) {
        out.println("  pg_stat_database per submission:" + tuples);
        out.println("  pg_stat_user_tables per submission (>= 0.5):" + tables);
      }
    }
    out.println("top statements per submission (database-counted):");
    server.statementCounts().entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(TOP_STATEMENTS)
        .forEach(
            entry ->
                out.printf(
                    Locale.ROOT,
                    "  %6.2f  %s%n",
                    entry.getValue() / n,
                    abbreviate(entry.getKey(), 110)));

    out.println("commits by code path (JDBC, attributed per transaction):");
    out.printf(
        Locale.ROOT,
        "  %-26s %10s %12s %14s %12s%n",
        "path",
        "commits",
        "commits/sub",
        "statements/sub",
        "stmts/tx");
    long handOffs = 0;
    long shared = 0;
    for (CodePath path : CodePath.values()) {
      PathCounts counts = jdbc.paths().get(path);
      if (counts == null || counts.transactions() == 0) {
        continue;
      }
      out.printf(
          Locale.ROOT,
          "  %-26s %10d %12.2f %14.2f %12.1f%n",
          path.label,
          counts.commits(),
          counts.commits() / n,
          counts.statements() / n,
          counts.statements() / (double) counts.transactions());
      if (path == CodePath.SUBMIT || path == CodePath.ASYNC_STEP || path == CodePath.DECISION) {
        handOffs += counts.commits();
      } else {
        shared += counts.commits();
      }
    }
    out.printf(
        Locale.ROOT,
        "  hand-off commits %.2f/submission (ideal %d: 1 submit + %d async steps + %d"
            + " decisions); shared/background commits %.2f/submission%n",
        handOffs / n,
        options.scenario().idealCommits(),
        options.scenario().asyncSteps,
        options.scenario().approvals,
        shared / n);
    for (Map.Entry<String, Long> other : jdbc.otherTransactions().entrySet()) {
      out.println("  other: " + other.getValue() + " x " + other.getKey());
    }
    out.printf(
        Locale.ROOT,
        "summary | %s | %s | %s | %s | %.1f subs/s | baseline %.0f commits/s | ratio %.4f | %.1f"
            + " stmts/sub (JDBC) | %.2f commits/sub | CPU %.2f ms/sub JVM%s%s | JVM's own threads"
            + " %.2f ms/sub | hand-off p99 %.2f ms |%n",
        options.scenario().name().toLowerCase(Locale.ROOT),
        result.database(),
        options.api().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        options.rate() > 0
            ? String.format(Locale.ROOT, "open loop %.0f/s", options.rate())
            : "closed loop",
        perSecond,
        baseline,
        perSecond / baseline,
        jdbc.statements() / n,
        jdbc.commits() / n,
        cpu.jvm().toNanos() / 1e6 / n,
        cpu.server()
            .map(spent -> String.format(Locale.ROOT, " + %.2f server", spent.toNanos() / 1e6 / n))
            .orElse(""),
        cpu.engine(options.api())
            .map(engine -> String.format(Locale.ROOT, ", %.2f engine", engine.toNanos() / 1e6 / n))
            .orElse(""),
        cpu.byThread().getOrDefault(CpuTime.ThreadRole.JVM, Duration.ZERO).toNanos() / 1e6 / n,
        handoffs.p99() / 1000.0);
    out.print(result.plans());
    out.println("sources: database = " + server.source() + "; JDBC = counting proxy on the pool");
    if (!server.notes().isEmpty()) {
      out.println("note: " + server.notes());
    }
    out.println(
        "note: completion was detected by the driver polling COUNT(*) of IN_PROGRESS submissions"
            + " every "
            + EndToEndBenchmark.POLL_INTERVAL.toMillis()
            + " ms on its own connection ("
            + result.monitorQueries()
            + " queries, not in the figures above); latencies end at the approval time the"
            + " engine wrote.");
  }

  /**
   * The JIT's and the collectors' time in the measured window, and whether the window is still
   * warming up: when the JVM's own threads (JIT compilers, collectors; {@link
   * CpuTime.ThreadRole#JVM}) took more than {@link #WARMING_SHARE} of its CPU, its CPU per
   * submission and throughput are not the steady state's. The compile time is the compiler threads'
   * elapsed time ({@code CompilationMXBean}), more than their CPU when they wait for a core; the
   * share is taken from CPU. 2026-12-06, H2, the JVM's own threads' share of its CPU: about 30 %
   * after 1,500 warm-up submissions, 15–19 % after 10,000, 12 % after 25,000 (recompilation after
   * deoptimisation goes on).
   */
  static void printWarmth(Measurements.Cpu cpu, double n, PrintStream out) {
    Duration own = cpu.byThread().getOrDefault(CpuTime.ThreadRole.JVM, Duration.ZERO);
    double share = own.toNanos() / (double) Math.max(1, cpu.jvm().toNanos());
    out.printf(
        Locale.ROOT,
        "  JVM in the window (ms/sub): JIT compiler threads busy %.2f (elapsed), garbage"
            + " collection %.2f%s%n",
        cpu.compiling().toNanos() / 1e6 / n,
        cpu.collecting().toNanos() / 1e6 / n,
        share > WARMING_SHARE
            ? String.format(
                Locale.ROOT,
                " -- the JVM's own threads took %.0f %% of its CPU (more than %.0f %%): not at"
                    + " steady state, raise --warmup",
                share * 100,
                WARMING_SHARE * 100)
            : "");
  }

  /**
   * Above this share of the JVM's CPU taken by its own threads, a window is reported as warming up.
   */
  static final double WARMING_SHARE = 0.2;

  /**
   * The history target of issue 11: the seeded run's throughput against the empty one's, directly
   * and as ratios to each run's own INSERT+COMMIT baseline, and the cost per submission of both.
   */
  static void printHistoryComparison(Result empty, Result seeded, PrintStream out) {
    double n0 = Math.max(1, empty.approved());
    double n1 = Math.max(1, seeded.approved());
    double ratio0 = empty.submissionsPerSecond() / empty.baseline().commitsPerSecond();
    double ratio1 = seeded.submissionsPerSecond() / seeded.baseline().commitsPerSecond();
    out.println();
    out.println(
        "=== cost with history, "
            + seeded.database()
            + ": "
            + seeded.history().map(h -> h.size().toString()).orElse("none")
            + " (finished:waiting) vs empty ===");
    out.printf(Locale.ROOT, "  %-44s %12s %12s %10s%n", "", "empty", "seeded", "seeded/empty");
    row(out, "submissions/s", empty.submissionsPerSecond(), seeded.submissionsPerSecond(), "%.1f");
    row(
        out,
        "baseline INSERT+COMMIT commits/s (same run)",
        empty.baseline().commitsPerSecond(),
        seeded.baseline().commitsPerSecond(),
        "%.0f");
    row(out, "submissions/s / baseline commits/s", ratio0, ratio1, "%.4f");
    row(
        out,
        "statements/submission (JDBC)",
        empty.jdbc().statements() / n0,
        seeded.jdbc().statements() / n1,
        "%.2f");
    row(
        out,
        "commits/submission (JDBC)",
        empty.jdbc().commits() / n0,
        seeded.jdbc().commits() / n1,
        "%.2f");
    row(
        out,
        "CPU ms/submission, JVM",
        empty.cpu().jvm().toNanos() / 1e6 / n0,
        seeded.cpu().jvm().toNanos() / 1e6 / n1,
        "%.2f");
    if (empty.cpu().server().isPresent() && seeded.cpu().server().isPresent()) {
      row(
          out,
          "CPU ms/submission, database server",
          empty.cpu().server().get().toNanos() / 1e6 / n0,
          seeded.cpu().server().get().toNanos() / 1e6 / n1,
          "%.2f");
    }
    row(
        out,
        "latency submit -> APPROVED p50 (ms)",
        empty.endToEnd().p50() / 1000.0,
        seeded.endToEnd().p50() / 1000.0,
        "%.1f");
    out.printf(
        Locale.ROOT,
        "history | %s | %s | seeded/empty throughput %.2f | ratio to baseline %.2f (target >="
            + " 0.8) | stmts/sub %.2f -> %.2f | commits/sub %.2f -> %.2f |%n",
        seeded.database(),
        seeded.history().map(h -> h.size().toString()).orElse("none"),
        seeded.submissionsPerSecond() / Math.max(1e-9, empty.submissionsPerSecond()),
        ratio1 / Math.max(1e-12, ratio0),
        empty.jdbc().statements() / n0,
        seeded.jdbc().statements() / n1,
        empty.jdbc().commits() / n0,
        seeded.jdbc().commits() / n1);
  }

  /**
   * The hand-off target of issue 11: the closed-loop maximum, then the open loop at half of it,
   * with the hand-off and end-to-end percentiles of both.
   */
  static void printOpenLoopComparison(Result closed, Result open, PrintStream out) {
    out.println();
    out.printf(
        Locale.ROOT,
        "=== open loop at half the maximum rate, %s, %s ===%n",
        open.database(),
        open.options().api().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    out.printf(
        Locale.ROOT,
        "  %-44s %14s %14s%n",
        "",
        "closed loop",
        String.format(Locale.ROOT, "open %.0f/s", open.options().rate()));
    out.printf(
        Locale.ROOT,
        "  %-44s %14.1f %14.1f%n",
        "submissions/s",
        closed.submissionsPerSecond(),
        open.submissionsPerSecond());
    latencyRow(out, "async hand-off p50 / p99 / max (ms)", closed.handoffs(), open.handoffs());
    out.printf(
        Locale.ROOT,
        "  %-44s %14s %14s%n",
        "submit -> APPROVED p50 / p99 (ms)",
        p50p99(closed.endToEnd()),
        p50p99(open.endToEnd()));
    out.printf(
        Locale.ROOT,
        "  %-44s %14s %14d%n",
        "sends more than 1 ms late (open loop)",
        "-",
        open.pacing().lateSends());
    double p99 = open.handoffs().p99() / 1000.0;
    out.printf(
        Locale.ROOT,
        "open loop | %s | %s | max %.1f subs/s | at %.0f/s: hand-off p50 %.2f p90 %.2f p99 %.2f"
            + " max %.2f ms (%d) | target p99 <= %.0f ms: %s | submit -> APPROVED p99 %.1f ms |"
            + " late sends %d | bare thread wake-up p99 %.2f ms (platform), %.2f ms (virtual) |%n",
        open.database(),
        open.options().api().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        closed.submissionsPerSecond(),
        open.options().rate(),
        open.handoffs().p50() / 1000.0,
        open.handoffs().p90() / 1000.0,
        p99,
        open.handoffs().max() / 1000.0,
        open.handoffs().count(),
        HANDOFF_P99_TARGET_MS,
        p99 <= HANDOFF_P99_TARGET_MS ? "met" : "NOT met",
        open.endToEnd().p99() / 1000.0,
        open.pacing().lateSends(),
        open.wakeups().platform().p99() / 1000.0,
        open.wakeups().virtual().p99() / 1000.0);
  }

  private static void latencyRow(
      PrintStream out, String what, HandoffTimes.Latencies a, HandoffTimes.Latencies b) {
    out.printf(Locale.ROOT, "  %-44s %14s %14s%n", what, handoffs(a), handoffs(b));
  }

  private static String handoffs(HandoffTimes.Latencies latencies) {
    return String.format(
        Locale.ROOT,
        "%.1f/%.1f/%.1f",
        latencies.p50() / 1000.0,
        latencies.p99() / 1000.0,
        latencies.max() / 1000.0);
  }

  private static String part(HandoffTimes.Part part) {
    return String.format(
        Locale.ROOT,
        "%.2f/%.2f/%.2f",
        part.p50() / 1000.0,
        part.p99() / 1000.0,
        part.max() / 1000.0);
  }

  private static String p50p99(Latencies latencies) {
    return String.format(
        Locale.ROOT, "%.1f/%.1f", latencies.p50() / 1000.0, latencies.p99() / 1000.0);
  }

  /**
   * The HTTP target of issue 11: throughput through the server's API against the engine's services
   * called in process, same driver threads, each run on a fresh database with its own baseline.
   */
  static void printApiComparison(Result inProcess, Result http, PrintStream out) {
    double n0 = Math.max(1, inProcess.approved());
    double n1 = Math.max(1, http.approved());
    double ratio0 = inProcess.submissionsPerSecond() / inProcess.baseline().commitsPerSecond();
    double ratio1 = http.submissionsPerSecond() / http.baseline().commitsPerSecond();
    out.println();
    out.println("=== HTTP vs in process, " + http.database() + " ===");
    out.printf(Locale.ROOT, "  %-44s %12s %12s %10s%n", "", "in process", "HTTP", "HTTP/in");
    row(
        out,
        "submissions/s",
        inProcess.submissionsPerSecond(),
        http.submissionsPerSecond(),
        "%.1f");
    row(
        out,
        "baseline INSERT+COMMIT commits/s (same run)",
        inProcess.baseline().commitsPerSecond(),
        http.baseline().commitsPerSecond(),
        "%.0f");
    row(out, "submissions/s / baseline commits/s", ratio0, ratio1, "%.4f");
    row(
        out,
        "submit call p50 (ms)",
        inProcess.submitCall().p50() / 1000.0,
        http.submitCall().p50() / 1000.0,
        "%.2f");
    row(
        out,
        "CPU ms/submission, JVM (server + driver)",
        inProcess.cpu().jvm().toNanos() / 1e6 / n0,
        http.cpu().jvm().toNanos() / 1e6 / n1,
        "%.2f");
    row(
        out,
        "statements/submission (JDBC)",
        inProcess.jdbc().statements() / n0,
        http.jdbc().statements() / n1,
        "%.2f");
    row(
        out,
        "commits/submission (JDBC)",
        inProcess.jdbc().commits() / n0,
        http.jdbc().commits() / n1,
        "%.2f");
    double raw = http.submissionsPerSecond() / Math.max(1e-9, inProcess.submissionsPerSecond());
    out.printf(
        Locale.ROOT,
        "api | %s | %d threads | in-process %.1f subs/s | http %.1f subs/s | http/in-process %.2f"
            + " | of the ratios to each run's baseline %.2f (target >= %.1f) | http retries %d |%n",
        http.database(),
        http.options().threads(),
        inProcess.submissionsPerSecond(),
        http.submissionsPerSecond(),
        raw,
        ratio1 / Math.max(1e-12, ratio0),
        HTTP_RATIO_TARGET,
        http.retries());
  }

  private static void row(
      PrintStream out, String what, double empty, double seeded, String format) {
    out.printf(
        Locale.ROOT,
        "  %-44s %12s %12s %10.2f%n",
        what,
        String.format(Locale.ROOT, format, empty),
        String.format(Locale.ROOT, format, seeded),
        seeded / Math.max(1e-12, empty));
  }

  private static void printLatencies(PrintStream out, String what, Latencies latencies) {
    out.printf(
        Locale.ROOT,
        "%s (ms): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
        what,
        latencies.p50() / 1000.0,
        latencies.p90() / 1000.0,
        latencies.p99() / 1000.0,
        latencies.max() / 1000.0);
  }
}

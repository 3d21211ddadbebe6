package io.orchestrion.benchmarks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end benchmark's command line: runs {@link EndToEndBenchmark} on H2 (file mode),
 * embedded PostgreSQL or both, and prints a {@link Report} for each. See benchmarks/README.md.
 */
@Command(
    name = "orchestrion-benchmark",
    mixinStandardHelpOptions = true,
    description =
        "Submits records through a real in-process engine and reports throughput, latency, and"
            + " the SQL statements and commits per submission as counted by the database.")
public final class EndToEndDriver implements Callable<Integer> {
  /** Which databases to run on. */
  enum Databases {
    H2,
    POSTGRES,
    BOTH
  }

  @Option(
      names = "--scenario",
      defaultValue = "approval",
      description =
          "approval (issue 11: sync + async, approval + gated sync, async) or three_stages"
              + " (3 x [sync + async]) (default ${DEFAULT-VALUE})")
  Workload.Scenario scenario;

  @Option(
      names = "--submissions",
      defaultValue = "2000",
      description = "measured submissions per database (default ${DEFAULT-VALUE})")
  int submissions;

  @Option(
      names = "--threads",
      defaultValue = "8",
      description = "submitting threads (default ${DEFAULT-VALUE})")
  int threads;

  @Option(
      names = "--deciders",
      defaultValue = "4",
      description =
          "threads deciding work items in the approval scenario (default ${DEFAULT-VALUE}; the"
              + " code at ddecfdb takes a second connection while deciding, so more deciders than"
              + " half the pool can exhaust it there)")
  int deciders;

  @Option(
      names = "--database",
      defaultValue = "both",
      description = "h2, postgres or both (default ${DEFAULT-VALUE})")
  Databases database;

  @Option(
      names = "--warmup",
      defaultValue = "10000",
      description =
          "unmeasured submissions first, for the JIT to settle; the report flags a window in which"
              + " it still compiled much (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--pool-size",
      defaultValue = "16",
      description = "the engine's connection pool size (default ${DEFAULT-VALUE})")
  int poolSize;

  @Option(
      names = "--workers",
      defaultValue = "16",
      description = "the engine's worker concurrency (default ${DEFAULT-VALUE})")
  int workers;

  /** Which APIs to measure through. */
  enum Apis {
    IN_PROCESS,
    HTTP,
    BOTH;

    List<EngineHost.Api> apis() {
      return switch (this) {
        case IN_PROCESS -> List.of(EngineHost.Api.IN_PROCESS);
        case HTTP -> List.of(EngineHost.Api.HTTP);
        case BOTH -> List.of(EngineHost.Api.IN_PROCESS, EngineHost.Api.HTTP);
      };
    }
  }

  /** Parses {@code --api}: in-process, http or both. */
  static final class ApisConverter implements CommandLine.ITypeConverter<Apis> {
    @Override
    public Apis convert(String value) {
      try {
        return Apis.valueOf(value.strip().replace('-', '_').toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "expected in-process, http or both: " + value);
      }
    }
  }

  @Option(
      names = "--job-group-size",
      defaultValue = "16",
      description =
          "jobs ready together that one worker applies in one transaction (group commit); 1 ="
              + " one transaction per job (default ${DEFAULT-VALUE}, the engine's default)")
  int jobGroupSize;

  // The command line running this command: usage errors go to its error stream.
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--command-group-size",
      defaultValue = "16",
      description =
          "submissions, or decisions, arriving together that one transaction applies (group"
              + " commit); 1 = one transaction per request (default ${DEFAULT-VALUE}, the engine's default)")
  int commandGroupSize;

  @Option(
      names = "--job-transactions",
      defaultValue = "-1",
      description =
          "first transactions of locally handed-over jobs open at once (the engine's"
              + " jobTransactionsAtOnce); 0 = no cap; -1 = as the database suits (the processors on"
              + " PostgreSQL, no cap on H2), the engine's default")
  int jobTransactions;

  @Option(
      names = "--commit-flush-ms",
      defaultValue = "0",
      description =
          "emulate a storage device that writes one commit at a time, this many milliseconds each,"
              + " for the engine and the baseline alike (the commit bound); 0 = off (default)")
  double commitFlushMillis;

  @Option(
      names = "--file-write-ms",
      defaultValue = "0",
      description =
          "H2 only: emulate a storage device that writes the H2 file one write at a time, this"
              + " many milliseconds each, for the engine (whose commits share a write) and the"
              + " baseline (which writes each commit) alike: the commit bound where H2 writes;"
              + " 0 = off (default)")
  double fileWriteMillis;

  @Option(
      names = "--api",
      defaultValue = "in-process",
      converter = ApisConverter.class,
      description =
          "in-process (the engine's services), http (the real server, started in this JVM on a"
              + " free port, through its HTTP API: submissions and decisions) or both, each on a"
              + " fresh database, then compared (default ${DEFAULT-VALUE})")
  Apis api;

  @Option(
      names = {"--open-loop", "--rate"},
      defaultValue = "0",
      paramLabel = "RATE|half",
      description =
          "submissions/s over all threads, sent on a fixed schedule (open loop; latencies count"
              + " from each send's due time); 'half': first a closed-loop run to find the maximum"
              + " rate, then an open-loop run at half of it, each on a fresh database; 0 = closed"
              + " loop (default ${DEFAULT-VALUE})")
  String openLoop;

  @Option(
      names = "--baseline-seconds",
      defaultValue = "3",
      description = "length of the INSERT+COMMIT baseline (default ${DEFAULT-VALUE})")
  double baselineSeconds;

  @Option(
      names = "--stall-seconds",
      defaultValue = "60",
      description = "give up when no submission completes for this long (default ${DEFAULT-VALUE})")
  int stallSeconds;

  @Option(
      names = "--plans",
      defaultValue = "0",
      description =
          "print the plans of this many of the most executed statements after the run"
              + " (default ${DEFAULT-VALUE})")
  int plans;

  @Option(
      names = "--history",
      defaultValue = "0:0",
      converter = HistoryConverter.class,
      description =
          "FINISHED:WAITING, e.g. 1000000:100000: measure on an empty database, then on a fresh one"
              + " seeded with this many finished and waiting submissions (bulk SQL, seeding time"
              + " not measured), and compare (default ${DEFAULT-VALUE}: empty only)")
  HistorySize history;

  /** Parses {@code --history}. */
  static final class HistoryConverter implements CommandLine.ITypeConverter<HistorySize> {
    @Override
    public HistorySize convert(String value) {
      try {
        return HistorySize.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --open-loop half}: measure the closed-loop maximum, then run at half of it. */
  static final String HALF = "half";

  private final PrintStream out;
  private final List<Measurements.Result> results = new ArrayList<>();
  private boolean complete;

  public EndToEndDriver() {
    this(System.out);
  }

  EndToEndDriver(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(commandLine(new EndToEndDriver()).execute(args));
  }

  static CommandLine commandLine(EndToEndDriver driver) {
    return new CommandLine(driver).setCaseInsensitiveEnumValuesAllowed(true);
  }

  /** The results of the last {@link #call()}, for tests. */
  List<Measurements.Result> results() {
    return List.copyOf(results);
  }

  @Override
  public Integer call() throws Exception {
    boolean half = openLoop.strip().equalsIgnoreCase(HALF);
    double rate;
    try {
      rate = half ? 0 : Double.parseDouble(openLoop.strip());
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--open-loop expects a rate or 'half': " + openLoop);
    }
    EndToEndBenchmark.Options options;
    try {
      options = options(rate);
    } catch (IllegalArgumentException e) {
      // An option out of its range: a usage error naming it, not a stack trace.
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (fileWriteMillis < 0 || (fileWriteMillis > 0 && commitFlushMillis > 0)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--file-write-ms must not be negative, nor set together with --commit-flush-ms (one"
              + " emulated device at a time): --file-write-ms "
              + fileWriteMillis
              + ", --commit-flush-ms "
              + commitFlushMillis);
    }
    results.clear();
    complete = true;
    if (database != Databases.POSTGRES) {
      Duration fileWrite = ofMillis(fileWriteMillis);
      runEachApi(() -> H2FileDatabase.create(fileWrite), options.withRate(rate), half);
    }
    if (database != Databases.H2) {
      runEachApi(EmbeddedPostgresDatabase::start, options.withRate(rate), half);
    }
    return complete ? 0 : 1;
  }

  /** A duration given in milliseconds with a fraction, as the device options are. */
  private static Duration ofMillis(double millis) {
    return Duration.ofNanos((long) (millis * 1_000_000));
  }

  private EndToEndBenchmark.Options options(double rate) {
    return new EndToEndBenchmark.Options(
        EngineHost.Api.IN_PROCESS,
        scenario,
        submissions,
        threads,
        deciders,
        warmup,
        poolSize,
        workers,
        jobGroupSize,
        commandGroupSize,
        jobTransactions,
        ofMillis(commitFlushMillis),
        rate,
        Duration.ofMillis((long) (baselineSeconds * 1000)),
        Duration.ofSeconds(stallSeconds),
        plans,
        HistorySize.NONE);
  }

  /**
   * The runs on one kind of database, through each API asked for; with both, the comparison of
   * their throughput (closed loop when {@code half}: the open-loop runs go at a rate of their own).
   */
  private void runEachApi(
      Supplier<BenchDatabase> fresh, EndToEndBenchmark.Options options, boolean half)
      throws Exception {
    Map<EngineHost.Api, Measurements.Result> byApi = new EnumMap<>(EngineHost.Api.class);
    for (EngineHost.Api each : api.apis()) {
      EndToEndBenchmark.Options through = options.withApi(each);
      if (half) {
        Measurements.Result closed = runOn(fresh.get(), through.withRate(0));
        double halfRate = Math.max(1, Math.floor(closed.submissionsPerSecond() / 2));
        Measurements.Result open = runOn(fresh.get(), through.withRate(halfRate));
        Report.printOpenLoopComparison(closed, open, out);
        byApi.put(each, closed);
      } else {
        byApi.put(each, runWithHistory(fresh, through));
      }
    }
    if (byApi.size() == 2) {
      Report.printApiComparison(
          byApi.get(EngineHost.Api.IN_PROCESS), byApi.get(EngineHost.Api.HTTP), out);
    }
  }

  /**
   * Without {@code --history}, one run. With it, two on fresh databases of the same kind: empty,
   * then seeded; then the comparison (see benchmarks/README.md, "Cost with history"). Returns the
   * first (empty) run's result.
   */
  private Measurements.Result runWithHistory(
      Supplier<BenchDatabase> fresh, EndToEndBenchmark.Options options) throws Exception {
    Measurements.Result empty = runOn(fresh.get(), options);
    if (!history.isEmpty()) {
      Measurements.Result seeded = runOn(fresh.get(), options.withHistory(history));
      Report.printHistoryComparison(empty, seeded, out);
    }
    return empty;
  }

  private Measurements.Result runOn(BenchDatabase database, EndToEndBenchmark.Options options)
      throws Exception {
    try (database) {
      out.println("Running on " + database.name() + " ...");
      Measurements.Result result = new EndToEndBenchmark(database, options).run();
      results.add(result);
      Report.print(result, out);
      out.flush();
      complete &= result.approved() == options.submissions();
      return result;
    }
  }
}

package io.orchestrion.benchmarks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
      defaultValue = "200",
      description = "unmeasured submissions first (default ${DEFAULT-VALUE})")
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

  @Option(
      names = "--job-group-size",
      defaultValue = "16",
      description =
          "jobs ready together that one worker applies in one transaction (group commit); 1 ="
              + " one transaction per job (default ${DEFAULT-VALUE}, the engine's default)")
  int jobGroupSize;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "submissions/s over all threads (open loop); 0 = as fast as the threads can submit"
              + " (default ${DEFAULT-VALUE})")
  double rate;

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

  private final PrintStream out;
  private final List<EndToEndBenchmark.Result> results = new ArrayList<>();

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
  List<EndToEndBenchmark.Result> results() {
    return List.copyOf(results);
  }

  @Override
  public Integer call() throws Exception {
    EndToEndBenchmark.Options options =
        new EndToEndBenchmark.Options(
            scenario,
            submissions,
            threads,
            deciders,
            warmup,
            poolSize,
            workers,
            jobGroupSize,
            rate,
            Duration.ofMillis((long) (baselineSeconds * 1000)),
            Duration.ofSeconds(stallSeconds),
            plans,
            HistorySize.NONE);
    results.clear();
    boolean complete = true;
    if (database != Databases.POSTGRES) {
      complete &= runWithHistory(H2FileDatabase::create, options);
    }
    if (database != Databases.H2) {
      complete &= runWithHistory(EmbeddedPostgresDatabase::start, options);
    }
    return complete ? 0 : 1;
  }

  /**
   * Without {@code --history}, one run. With it, two on fresh databases of the same kind: empty,
   * then seeded; then the comparison (see benchmarks/README.md, "Cost with history").
   */
  private boolean runWithHistory(Supplier<BenchDatabase> fresh, EndToEndBenchmark.Options options)
      throws Exception {
    boolean complete = runOn(fresh.get(), options);
    if (history.isEmpty()) {
      return complete;
    }
    EndToEndBenchmark.Result empty = results.getLast();
    complete &= runOn(fresh.get(), options.withHistory(history));
    Report.printHistoryComparison(empty, results.getLast(), out);
    return complete;
  }

  private boolean runOn(BenchDatabase database, EndToEndBenchmark.Options options)
      throws Exception {
    try (database) {
      out.println("Running on " + database.name() + " ...");
      EndToEndBenchmark.Result result = new EndToEndBenchmark(database, options).run();
      results.add(result);
      Report.print(result, out);
      out.flush();
      return result.approved() == options.submissions();
    }
  }
}

package io.orchestrion.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.benchmarks.CountingDataSource.CodePath;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The driver end to end on H2, small: it runs, every submission is approved, counts add up. */
class EndToEndDriverTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final EndToEndDriver driver =
      new EndToEndDriver(new PrintStream(printed, true, StandardCharsets.UTF_8));

  @Test
  void aSmallRunOnH2ApprovesEverySubmissionAndCountsTheEnginesWork() {
    String report =
        smallRunOnH2(
            20,
            5,
            "0.3",
            // One transaction per job, submission and decision: with groups, commands that
            // happen to wait together share a commit, and the counts of commits below would
            // depend on timing.
            "--job-group-size",
            "1",
            "--command-group-size",
            "1");
    assertThat(driver.results())
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.approved()).isEqualTo(20);
              assertThat(result.stuck()).isEmpty();
              assertThat(result.endToEnd().count()).isEqualTo(20);
              assertThat(result.endToEnd().p50()).isPositive();
              // The approval scenario (the default): every submission commits once in the submit
              // call, once per asynchronous step and once for the decision (nothing grouped).
              assertThat(result.options().scenario()).isEqualTo(Workload.Scenario.APPROVAL);
              assertThat(result.jdbc().paths().get(CodePath.SUBMIT).commits()).isEqualTo(20);
              assertThat(result.jdbc().paths().get(CodePath.ASYNC_STEP).commits())
                  .isEqualTo(20L * Workload.Scenario.APPROVAL.asyncSteps);
              assertThat(result.jdbc().paths().get(CodePath.DECISION).commits()).isEqualTo(20);
              assertThat(result.cpu().jvm()).isPositive();
              // CPU by thread: the submitting threads ended before the reading and still count
              // (CpuTime.taskEnding); in process the engine's share keeps them, drops the driver's.
              Map<CpuTime.ThreadRole, Duration> byThread = result.cpu().byThread();
              assertThat(byThread).containsOnlyKeys(CpuTime.ThreadRole.values());
              assertThat(byThread.get(CpuTime.ThreadRole.CALLERS)).isPositive();
              assertThat(byThread.get(CpuTime.ThreadRole.ENGINE)).isPositive();
              assertThat(result.cpu().engine(EngineHost.Api.IN_PROCESS))
                  .contains(result.cpu().jvm().minus(byThread.get(CpuTime.ThreadRole.DRIVER)));
              // H2's store wrote chunks for the measured commits.
              assertThat(result.server().tuples().get("mvstore.file_write")).isPositive();
              assertThat(result.server().tuples().get("mvstore.file_write_bytes"))
                  .isGreaterThan(result.server().tuples().get("mvstore.file_write"));
              // Every asynchronous step's job committed in the period was read by a worker once.
              assertThat(result.handoffs().count())
                  .isEqualTo(20L * Workload.Scenario.APPROVAL.asyncSteps);
              assertThat(result.handoffs().notStarted()).isZero();
              assertThat(result.handoffs().p50()).isLessThanOrEqualTo(result.handoffs().p99());
              assertThat(result.handoffs().p99()).isLessThanOrEqualTo(result.handoffs().max());
              // The wake-up probe ran beside the measured submissions, on both kinds of thread.
              assertThat(result.wakeups().platform().count()).isPositive();
              assertThat(result.wakeups().virtual().count()).isPositive();
              // H2's own statement count and the JDBC counter agree: nothing of the driver's is
              // counted.
              assertThat(result.server().statements()).isEqualTo(result.jdbc().statements());
              assertThat(result.server().commits()).contains(result.jdbc().commits());
              assertThat(result.baseline().commits()).isPositive();
            });
    assertThat(report)
        .contains("=== H2 (file mode) ===")
        .contains("submissions/s")
        .contains("p99")
        .contains("commits by code path")
        .contains("CPU per submission")
        .contains("engine's share")
        .contains("JVM in the window (ms/sub): JIT compiler threads busy ")
        .contains("H2 MVStore file per submission")
        .contains("async hand-off, step job committed -> a worker reads it")
        .contains("summary | approval | H2 (file mode) | in-process | closed loop |");
  }

  @Test
  void aWindowWhoseJvmThreadsTookMoreThanAFifthOfItsCpuIsReportedAsWarmingUp() {
    assertThat(warmth(Duration.ofMillis(25)))
        .isEqualTo(
            "  JVM in the window (ms/sub): JIT compiler threads busy 4.00 (elapsed), garbage"
                + " collection 0.30 -- the JVM's own threads took 25 % of its CPU (more than 20 %):"
                + " not at steady state, raise --warmup\n");
    assertThat(warmth(Duration.ofMillis(20)))
        .isEqualTo(
            "  JVM in the window (ms/sub): JIT compiler threads busy 4.00 (elapsed), garbage"
                + " collection 0.30\n");
  }

  /**
   * {@link Report#printWarmth} of a 10-submission window in which the JVM used 100 ms of CPU, its
   * own threads {@code own} of it, the compiler threads were busy 40 ms and the collectors 3 ms.
   */
  private static String warmth(Duration own) {
    Measurements.Cpu cpu =
        new Measurements.Cpu(
            Duration.ofMillis(100),
            Map.of(CpuTime.ThreadRole.JVM, own),
            Optional.empty(),
            Duration.ofSeconds(1),
            Duration.ofMillis(40),
            Duration.ofMillis(3));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Report.printWarmth(cpu, 10, new PrintStream(printed, true, StandardCharsets.UTF_8));
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void benchJfrRecordsTheMeasuredWindowToTheFileItNames(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("window.jfr");
    System.setProperty(WindowRecording.PROPERTY, file.toString());
    try {
      smallRunOnH2(12, 3, "0.5");
    } finally {
      System.clearProperty(WindowRecording.PROPERTY);
    }
    // The recording has the profile settings (written when it starts) and the window's samples.
    assertThat(
            RecordingFile.readAllEvents(file).stream()
                .map(event -> event.getEventType().getName())
                .collect(Collectors.toSet()))
        .contains("jdk.ActiveSetting", "jdk.ObjectAllocationSample");
  }

  @Test
  void benchJfrInADirectoryThatDoesNotExistIsRefusedBeforeTheWindow(@TempDir Path dir) {
    System.setProperty(WindowRecording.PROPERTY, dir.resolve("missing/window.jfr").toString());
    try {
      assertThatThrownBy(WindowRecording::start)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("-Dbench.jfr=")
          .hasMessageContaining("missing")
          .hasMessageContaining("does not exist");
    } finally {
      System.clearProperty(WindowRecording.PROPERTY);
    }
  }

  @Test
  void onPostgresqlTheJobsDeletedInTheirRunsUpdateAreCountedAsAsyncStepsAndHandOffs() {
    // On PostgreSQL an ended job's fenced delete rides in its run's UPDATE (WITH ended AS
    // (DELETE ...) UPDATE runs ...): the counting pool must still see the job's transaction, and
    // a job handed over in memory must still be timed.
    smallRun("postgres", 10, 3, "0.3", "--job-group-size", "1", "--command-group-size", "1");
    assertThat(driver.results())
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.approved()).isEqualTo(10);
              assertThat(result.jdbc().paths().get(CodePath.ASYNC_STEP).commits())
                  .isEqualTo(10L * Workload.Scenario.APPROVAL.asyncSteps);
              assertThat(result.jdbc().paths().get(CodePath.OTHER).commits()).isZero();
              assertThat(result.handoffs().count())
                  .isEqualTo(10L * Workload.Scenario.APPROVAL.asyncSteps);
            });
  }

  @Test
  void anEmulatedCommitDeviceBoundsTheBaselinesCommitsAndTheEngineStillFinishes() {
    String report = smallRunOnH2(12, 3, "0.5", "--commit-flush-ms", "5");
    Measurements.Result result = driver.results().get(0);
    assertThat(result.approved()).isEqualTo(12);
    // One commit at a time, 5 ms each: the baseline made at most 200 commits a second.
    double baselinePerSecond =
        result.baseline().commits() / EndToEndBenchmark.seconds(result.baseline().elapsed());
    assertThat(baselinePerSecond).isPositive().isLessThanOrEqualTo(200);
    assertThat(report)
        .contains("commit device: emulated, one commit at a time, 5.00 ms each")
        .contains("summary | approval | H2 (file mode) | in-process | closed loop |");
  }

  @Test
  void anEmulatedFileDeviceBoundsTheBaselinesCommitsAndTheEnginesGroupedWritesStillFinish() {
    long writesBefore = SerialWriteFileSystem.writes();
    String report = smallRunOnH2(12, 3, "0.5", "--file-write-ms", "5");
    Measurements.Result result = driver.results().get(0);
    assertThat(result.approved()).isEqualTo(12);
    // The baseline writes each commit, one write at a time, each holding the device 5 ms after it:
    // at most one commit per 5 ms of its window, plus one whose write began just before the window
    // (a run on .ci/run measured 200.42 a second against a bound of exactly 200 without it).
    double seconds = EndToEndBenchmark.seconds(result.baseline().elapsed());
    assertThat(result.baseline().commits()).isPositive();
    assertThat((double) result.baseline().commits()).isLessThanOrEqualTo(seconds * 200 + 1);
    assertThat(SerialWriteFileSystem.writes()).isGreaterThan(writesBefore);
    assertThat(report)
        .contains("every write of the file on an emulated device: 5.00 ms each, one at a time")
        .contains("summary | approval | H2 (file mode) | in-process | closed loop |");
  }

  @Test
  void twoEmulatedDevicesAtOnceAreAUsageError() {
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    CommandLine commandLine = EndToEndDriver.commandLine(driver);
    commandLine.setErr(new PrintWriter(errors, true, StandardCharsets.UTF_8));

    int exitCode = commandLine.execute("--file-write-ms", "2", "--commit-flush-ms", "2");

    assertThat(exitCode).isEqualTo(2);
    assertThat(errors.toString(StandardCharsets.UTF_8))
        .contains("nor set together with --commit-flush-ms (one emulated device at a time)")
        .doesNotContain("Exception");
    assertThat(driver.results()).isEmpty();
  }

  @Test
  void anOptionOutOfRangeIsAUsageErrorNamingIt() {
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    CommandLine commandLine = EndToEndDriver.commandLine(driver);
    commandLine.setErr(new PrintWriter(errors, true, StandardCharsets.UTF_8));

    int exitCode = commandLine.execute("--commit-flush-ms", "-1");

    assertThat(exitCode).isEqualTo(2);
    assertThat(errors.toString(StandardCharsets.UTF_8))
        .contains("the commit flush (--commit-flush-ms) must not be negative: -1.0 ms")
        .doesNotContain("Exception");
    assertThat(driver.results()).isEmpty();
  }

  @Test
  void openLoopAtHalfRunsTheClosedLoopFirstThenSendsOnScheduleAtHalfItsRate() {
    String report = smallRunOnH2(12, 3, "0.2", "--open-loop", "half");
    assertThat(driver.results()).hasSize(2);
    Measurements.Result closed = driver.results().get(0);
    Measurements.Result open = driver.results().get(1);
    assertThat(closed.options().rate()).isZero();
    assertThat(open.options().rate())
        .isPositive()
        .isEqualTo(Math.max(1, Math.floor(closed.submissionsPerSecond() / 2)));
    for (Measurements.Result result : driver.results()) {
      assertThat(result.approved()).isEqualTo(12);
      assertThat(result.handoffs().count()).isEqualTo(12L * Workload.Scenario.APPROVAL.asyncSteps);
      assertThat(result.handoffs().notStarted()).isZero();
    }
    // The open loop kept its schedule: the last of 12 sends was due 11/rate after the first, and
    // latencies count from the due time, so the latest send's lateness is inside its latency. (Not
    // the submit call: it returns once the file holds the submission, which can be after the
    // approval that a later transaction timed; .ci/run once saw 18.1 ms against 17.9.)
    assertThat(EndToEndBenchmark.seconds(open.elapsed()))
        .isGreaterThanOrEqualTo(11 / open.options().rate());
    assertThat(open.endToEnd().max())
        .isGreaterThanOrEqualTo(open.pacing().maxLateness().toNanos() / 1000);
    assertThat(report)
        .contains("=== open loop at half the maximum rate, H2 (file mode), in-process ===")
        .contains("open-loop schedule:")
        .containsPattern(
            "open loop \\| H2 \\(file mode\\) \\| in-process \\| max [0-9.]+ subs/s \\|");
  }

  @Test
  void throughHttpTheServersApiSubmitsAndDecidesAndIsComparedWithInProcess() {
    String report =
        smallRunOnH2(
            12,
            3,
            "0.2",
            "--api",
            "both",
            // One transaction per submission and decision: the counts below are exact.
            "--command-group-size",
            "1");
    assertThat(driver.results()).hasSize(2);
    Measurements.Result inProcess = driver.results().get(0);
    Measurements.Result http = driver.results().get(1);
    assertThat(inProcess.options().api()).isEqualTo(EngineHost.Api.IN_PROCESS);
    assertThat(http.options().api()).isEqualTo(EngineHost.Api.HTTP);
    assertThat(http.api()).startsWith("HTTP (POST /api/v1/submissions");
    // Through HTTP too, every submission was submitted and its work item decided once, each in
    // one transaction on the server's request threads, and both async steps' jobs were handed
    // off to a worker once each.
    assertThat(http.approved()).isEqualTo(12);
    assertThat(http.stuck()).isEmpty();
    assertThat(http.jdbc().paths().get(CodePath.SUBMIT).commits()).isEqualTo(12);
    assertThat(http.jdbc().paths().get(CodePath.DECISION).commits()).isEqualTo(12);
    assertThat(http.handoffs().notStarted()).isZero();
    // Over HTTP the submitting and deciding threads only run the HTTP client: not the engine's.
    Map<CpuTime.ThreadRole, Duration> byThread = http.cpu().byThread();
    assertThat(byThread.get(CpuTime.ThreadRole.CALLERS)).isPositive();
    assertThat(http.cpu().engine(EngineHost.Api.HTTP))
        .contains(
            http.cpu()
                .jvm()
                .minus(byThread.get(CpuTime.ThreadRole.DRIVER))
                .minus(byThread.get(CpuTime.ThreadRole.CALLERS)));
    assertThat(http.handoffs().count()).isEqualTo(12L * Workload.Scenario.APPROVAL.asyncSteps);
    assertThat(report)
        .contains("=== HTTP vs in process, H2 (file mode) ===")
        .containsPattern(
            "api \\| H2 \\(file mode\\) \\| 2 threads \\| in-process [0-9.]+ subs/s \\| http [0-9.]+"
                + " subs/s \\| http/in-process [0-9.]+ \\|");
  }

  @Test
  void withHistoryItRunsOnAnEmptyAndOnASeededDatabaseAndComparesThem() {
    String report =
        smallRunOnH2(
            10,
            2,
            "0.2",
            "--plans",
            "3",
            "--history",
            "50:5",
            // One transaction per submission and decision: the counts below are exact.
            "--command-group-size",
            "1");
    assertThat(driver.results()).hasSize(2);
    Measurements.Result empty = driver.results().get(0);
    Measurements.Result seeded = driver.results().get(1);
    assertThat(empty.history()).isEmpty();
    assertThat(seeded.history())
        .hasValueSatisfying(
            history -> {
              assertThat(history.size()).isEqualTo(new HistorySize(50, 5));
              assertThat(history.rows()).containsEntry("submissions", 55L);
            });
    // The seeded waiting submissions are neither decided by the driver nor counted as its own:
    // exactly the measured submissions are approved, and each costs what it costs when empty.
    assertThat(seeded.approved()).isEqualTo(10);
    assertThat(seeded.stuck()).isEmpty();
    assertThat(seeded.jdbc().paths().get(CodePath.DECISION).commits()).isEqualTo(10);
    assertThat(seeded.jdbc().paths().get(CodePath.SUBMIT).commits()).isEqualTo(10);
    assertThat(report)
        .contains("=== cost with history, H2 (file mode): 50:5 (finished:waiting) vs empty ===")
        .contains("history | H2 (file mode) | 50:5 |")
        .contains("statements whose plan reads a whole table or index");
  }

  /**
   * Runs the driver on H2 from two threads with {@code submissions} after {@code warmup}, a
   * baseline of {@code baselineSeconds} and {@code extra} options; asserts it exited with 0 and
   * returns what it printed.
   */
  private String smallRunOnH2(
      int submissions, int warmup, String baselineSeconds, String... extra) {
    return smallRun("h2", submissions, warmup, baselineSeconds, extra);
  }

  /** {@link #smallRunOnH2} on {@code database} (h2 or postgres). */
  private String smallRun(
      String database, int submissions, int warmup, String baselineSeconds, String... extra) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--submissions",
            Integer.toString(submissions),
            "--threads",
            "2",
            "--warmup",
            Integer.toString(warmup),
            "--database",
            database,
            "--baseline-seconds",
            baselineSeconds,
            "--stall-seconds",
            "30"));
    args.addAll(List.of(extra));
    int exitCode = EndToEndDriver.commandLine(driver).execute(args.toArray(String[]::new));
    String report = printed.toString(StandardCharsets.UTF_8);
    assertThat(exitCode).as(report).isZero();
    return report;
  }
}

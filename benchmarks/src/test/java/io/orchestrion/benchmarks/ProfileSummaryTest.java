package io.orchestrion.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Summing JFR CPU samples by frame group, from synthetic stacks and from a real recording. */
class ProfileSummaryTest {
  @Test
  void aSampleCountsOnceInEachGroupItsStackTouches() {
    ProfileSummary.Tally tally = new ProfileSummary.Tally();
    tally.add(
        List.of(
            "org.h2.mvstore.DataUtils.writeVarInt",
            "org.h2.mvstore.MVStore.storeNow",
            "org.h2.mvstore.MVStore.store",
            "org.h2.jdbc.JdbcConnection.commit",
            "com.zaxxer.hikari.pool.ProxyConnection.commit",
            "io.orchestrion.engine.db.Transaction.commit",
            "io.orchestrion.engine.db.Transaction$$Lambda.0x01.run",
            "io.orchestrion.engine.db.Transaction.commit"),
        1);
    tally.add(
        List.of("com.fasterxml.jackson.core.JsonGenerator.writeString", "java.lang.Thread.run"), 1);
    tally.add(List.of(), 1);

    assertThat(tally.samples).isEqualTo(2);
    assertThat(tally.groups)
        .containsEntry("inside H2", 1L)
        .containsEntry("H2 commit (JdbcConnection.commit)", 1L)
        .containsEntry("of it page serialisation (MVStore.storeNow)", 1L)
        .containsEntry("HikariCP", 1L)
        .containsEntry("Jackson", 1L)
        .containsEntry("engine", 1L)
        .containsEntry("H2 parser", 0L);
    assertThat(tally.selfFrames)
        .containsEntry("org.h2.mvstore.DataUtils.writeVarInt", 1L)
        .containsEntry("com.fasterxml.jackson.core.JsonGenerator.writeString", 1L);
    // A recursive engine frame counts once per sample; a lambda's generated class not at all.
    assertThat(tally.engineMethods)
        .containsExactlyEntriesOf(
            java.util.Map.of("io.orchestrion.engine.db.Transaction.commit", 1L));
    assertThat(tally.share(1)).isEqualTo("50.0 %");
  }

  @Test
  void h2sOwnSerialisationThreadAndTheHousekeepingHaveGroupsAndThreadsAreCountedWithoutNumbers() {
    ProfileSummary.Tally tally = new ProfileSummary.Tally();
    tally.add(
        "H2-serialization",
        List.of(
            "org.h2.mvstore.db.ValueDataType.write",
            "org.h2.mvstore.Page.write",
            "org.h2.mvstore.FileStore.serializeAndStore",
            "java.lang.Thread.run"),
        1);
    tally.add(
        "orchestrion-h2-housekeeping",
        List.of(
            "org.h2.mvstore.MVStore.readPage",
            "org.h2.mvstore.FileStore.compact",
            "io.orchestrion.engine.persistence.H2Store.compact",
            "io.orchestrion.engine.persistence.H2FileHousekeeping.runOnce"),
        1);
    tally.add("orchestrion-worker-12", List.of("io.orchestrion.engine.jobs.JobRunner.run"), 1);
    tally.add("orchestrion-worker-3", List.of("io.orchestrion.engine.jobs.JobRunner.run"), 1);

    assertThat(tally.groups)
        .containsEntry("H2 page serialisation on H2's own thread (FileStore.serializeAndStore)", 1L)
        .containsEntry("of it the H2 file's housekeeping", 1L)
        .containsEntry("engine", 3L)
        .containsEntry("inside H2", 2L);
    assertThat(tally.threads)
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                "H2-serialization", 1L,
                "orchestrion-h2-housekeeping", 1L,
                "orchestrion-worker", 2L));
    assertThat(ProfileSummary.Tally.threadGroup("")).isEqualTo("(unnamed)");
    assertThat(ProfileSummary.Tally.threadGroup("ForkJoinPool-1-worker-7"))
        .isEqualTo("ForkJoinPool-1-worker");
  }

  @Test
  void allocationSamplesWeighTheBytesTheyStandFor() {
    ProfileSummary.Tally tally = new ProfileSummary.Tally();
    tally.add(List.of("org.h2.mvstore.WriteBuffer.grow", "org.h2.mvstore.MVStore.storeNow"), 300);
    tally.add(List.of("com.fasterxml.jackson.core.util.BufferRecycler.allocByteBuffer"), 100);

    assertThat(tally.samples).isEqualTo(2);
    assertThat(tally.weight).isEqualTo(400);
    assertThat(tally.groups)
        .containsEntry("of it page serialisation (MVStore.storeNow)", 300L)
        .containsEntry("Jackson", 100L);
    assertThat(tally.share(tally.groups.get("inside H2"))).isEqualTo("75.0 %");
  }

  @Test
  void readsTheCpuSamplesOfARealRecording(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("busy.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      recording.start();
      long deadline = System.nanoTime() + Duration.ofMillis(400).toNanos();
      long sink = 0;
      while (System.nanoTime() < deadline) {
        sink += spin(sink);
      }
      recording.stop();
      recording.dump(file);
      assertThat(sink).isNotEqualTo(42);
    }

    ProfileSummary.Tally tally =
        ProfileSummary.read(file, ProfileSummary.CPU_SAMPLE, "", Instant.MIN);
    assertThat(tally.samples).isPositive();
    assertThat(tally.groups.get("benchmark driver and counting proxy")).isPositive();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    tally.print(new PrintStream(printed, true, StandardCharsets.UTF_8), 5);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains(" samples, total weight ")
        .contains("| benchmark driver and counting proxy | ")
        .contains("top self frames");
    assertThat(
            ProfileSummary.read(file, ProfileSummary.CPU_SAMPLE, "no-such-thread-", Instant.MIN)
                .samples)
        .isZero();
    // Nothing was sampled after the recording's end; everything from its start on.
    Instant end = ProfileSummary.end(file);
    assertThat(ProfileSummary.read(file, ProfileSummary.CPU_SAMPLE, "", end.plusSeconds(1)).samples)
        .isZero();
    assertThat(
            ProfileSummary.read(file, ProfileSummary.CPU_SAMPLE, "", end.minusSeconds(60)).samples)
        .isEqualTo(tally.samples);
  }

  @Test
  void aFileThatIsNotARecordingOrANegativeOptionIsAnErrorNamingIt(@TempDir Path dir)
      throws Exception {
    Path notJfr = Files.writeString(dir.resolve("notes.txt"), "not a recording");
    StringWriter errors = new StringWriter();
    CommandLine commandLine = new CommandLine(new ProfileSummary());
    commandLine.setErr(new PrintWriter(errors, true));
    assertThat(commandLine.execute(notJfr.toString())).isEqualTo(1);
    assertThat(errors.toString()).contains("cannot read " + notJfr + " as a JFR recording");

    StringWriter usage = new StringWriter();
    commandLine.setErr(new PrintWriter(usage, true));
    assertThat(commandLine.execute("--top", "-1", notJfr.toString())).isEqualTo(2);
    assertThat(usage.toString()).contains("--top and --last must not be negative: --top -1");
  }

  private static long spin(long seed) {
    long x = seed | 1;
    for (int i = 0; i < 10_000; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
    }
    return x;
  }
}

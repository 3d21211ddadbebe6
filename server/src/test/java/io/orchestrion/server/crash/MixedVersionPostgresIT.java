package io.orchestrion.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ChildServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A rolling upgrade (docs/deployment.md, "Rolling upgrades"): the previous release's server and the
 * current one on one embedded PostgreSQL, both serving while clients spread their work over them
 * ({@link ClusterLoad}). Run only in the {@code mixed-version} profile ({@code bin/mvn -pl server
 * -am verify -Pmixed-version}); it is not part of the default build because it builds the previous
 * release first.
 *
 * <p>The previous release is the main-line commit just before the newest migration arrived (or
 * {@code -Dmixed.previousCommit}); {@code bin/build-previous-release} builds its server jar into
 * {@code server/target/previous-release/} once per commit, and this test runs it when the jar is
 * missing or of another commit. Steps:
 *
 * <ol>
 *   <li>the previous release starts alone on the empty database and migrates it to its schema;
 *       definitions are deployed through it and the clients run a third of the pipelines on it;
 *   <li>the current release starts beside it and migrates the schema to the newest version while
 *       the previous release keeps serving; the second third runs on both nodes;
 *   <li>the previous release is stopped and started again on the newer schema, which it must
 *       accept; the last third runs on both nodes.
 * </ol>
 *
 * Then every acknowledged submission exists and is APPROVED, each asynchronous step has exactly one
 * STEP_RESULT event, the feed has no holes, no client got a 5xx or a timeout, neither node logged a
 * 500 or a pool timeout, the database is at the newest migration, each node run created submissions
 * (the previous release before and after its restart, the current one), and each release ran
 * asynchronous steps. What it proves: the newest migration kept the rolling-upgrade rule for this
 * workload (records, submissions, asynchronous steps, flow events, approvals, the feed): the
 * previous release reads and writes the migrated schema without failing, and the two releases hand
 * work to each other. It does not prove it for features this workload does not use.
 */
@EnabledIfSystemProperty(
    named = "mixed.version",
    matches = "true",
    disabledReason = "runs in the mixed-version profile only (-Pmixed-version)")
class MixedVersionPostgresIT {
  private static final int SUBMISSIONS = Integer.getInteger("mixed.submissions", 45);
  private static final int CLIENTS = Integer.getInteger("mixed.clients", 4);
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

  /** A submission created (the access log; answers to a key sent again are 200). */
  private static final String CREATED = "POST /api/v1/submissions 201";

  /** The Score step's flow ran its log action on that node. */
  private static final String SCORED = "scoring expense";

  private static final int PREVIOUS = 0;
  private static final int CURRENT = 1;

  private final ClusterLoad load = new ClusterLoad(2, SUBMISSIONS);

  @Test
  void thePreviousAndTheCurrentReleaseShareOneMigratedDatabase() throws Exception {
    Path previousJar = previousReleaseJar();
    Path work =
        Files.createDirectories(
            ChildServer.targetDirectory()
                .resolve("mixed-version")
                .resolve(Long.toString(System.currentTimeMillis())));
    String token = ClusterLoad.adminToken();
    try (TestDatabase database = TestDatabases.emptyPostgres()) {
      List<ChildServer> nodes = new ArrayList<>();
      nodes.add(node(previousJar, database, work, "previous"));
      nodes.add(node(ChildServer.packagedJar(), database, work, "current"));
      try {
        // A third of the pipelines on the previous release alone, a third on both releases, the
        // previous one is restarted on the newer schema, and the last third on both again.
        load.allow(SUBMISSIONS / 3);
        startNode(nodes, PREVIOUS, token);
        String previousSchema = schemaVersion(database);
        ClusterLoad.deploy(load.live(PREVIOUS));
        List<Thread> clients = load.startClients(CLIENTS);
        load.awaitAcknowledged(SUBMISSIONS / 3);

        startNode(nodes, CURRENT, token);
        String currentSchema = schemaVersion(database);
        load.allow(2 * SUBMISSIONS / 3);
        load.awaitAcknowledged(2 * SUBMISSIONS / 3);

        load.live(PREVIOUS, null);
        nodes.get(PREVIOUS).stop();
        startNode(nodes, PREVIOUS, token);
        load.allow(SUBMISSIONS);
        load.joinClients(clients);

        ApiClient api = load.live(PREVIOUS);
        List<JsonNode> submissions = load.awaitRunsFinished(api);
        List<JsonNode> events = load.readFeed(api);
        Map<String, JsonNode> runs = load.runs(api, submissions);
        Map<String, List<String>> created = new java.util.LinkedHashMap<>();
        created.put("the previous release", nodes.get(PREVIOUS).logEntriesContaining(CREATED));
        created.put("the current release", nodes.get(CURRENT).logEntriesContaining(CREATED));
        Map<String, List<String>> scored = new java.util.LinkedHashMap<>();
        scored.put("the previous release", nodes.get(PREVIOUS).logEntriesContaining(SCORED));
        scored.put("the current release", nodes.get(CURRENT).logEntriesContaining(SCORED));
        System.out.printf(
            "Mixed-version test: previous release %s (schema %s), current (schema %s);"
                + " %d submissions, %d events; %s; submissions created by node run %s;"
                + " Score jobs run by release %s; logs in %s%n",
            Files.readString(previousJar.resolveSibling("commit.txt")).strip(),
            previousSchema,
            currentSchema,
            submissions.size(),
            events.size(),
            load.outcomes(),
            countByFile(created),
            countByFile(scored),
            work);

        SoftAssertions softly = new SoftAssertions();
        load.check(softly, submissions, events, runs.values());
        softly
            .assertThat(currentSchema)
            .as("the current release migrated the schema further")
            .isNotEqualTo(previousSchema);
        softly
            .assertThat(schemaVersion(database))
            .as("schema after the previous release restarted on it")
            .isEqualTo(currentSchema);
        for (int i = 0; i < nodes.size(); i++) {
          String name = i == PREVIOUS ? "the previous release" : "the current release";
          softly
              .assertThat(nodes.get(i).logEntriesContaining(CrashContract.POOL_TIMEOUT))
              .as("pool timeouts logged by " + name)
              .isEmpty();
          softly
              .assertThat(nodes.get(i).logEntriesContaining(CrashContract.INTERNAL_ERROR))
              .as("500 answers logged by " + name)
              .isEmpty();
        }
        // Each node run took submissions: the previous release before its restart (child-1) and
        // after it (child-2), and the current one; and each release ran asynchronous steps.
        softly
            .assertThat(created.get("the previous release"))
            .as("submissions created by the previous release before its restart")
            .anyMatch(entry -> entry.startsWith("child-1.log"));
        softly
            .assertThat(created.get("the previous release"))
            .as("submissions created by the previous release after its restart")
            .anyMatch(entry -> entry.startsWith("child-2.log"));
        softly
            .assertThat(created.get("the current release"))
            .as("submissions created by the current release")
            .isNotEmpty();
        scored.forEach(
            (release, entries) ->
                softly.assertThat(entries).as("Score steps run by " + release).isNotEmpty());
        softly.assertAll();
      } finally {
        nodes.forEach(ChildServer::close);
      }
    }
  }

  /** How many entries each log file of a release holds, per release. */
  private static Map<String, Map<String, Long>> countByFile(Map<String, List<String>> entries) {
    Map<String, Map<String, Long>> counts = new java.util.LinkedHashMap<>();
    entries.forEach(
        (release, lines) ->
            counts.put(
                release,
                lines.stream()
                    .collect(
                        java.util.stream.Collectors.groupingBy(
                            line -> line.substring(0, line.indexOf(':')),
                            java.util.TreeMap::new,
                            java.util.stream.Collectors.counting()))));
    return counts;
  }

  private static ChildServer node(Path jar, TestDatabase database, Path work, String name) {
    return new ChildServer(
        jar,
        List.of(
            "--data-dir",
            work.resolve("data-" + name).toString(),
            "--jdbc-url",
            database.jdbcUrl(),
            "--jdbc-user",
            "postgres"),
        Map.of(
            "ORCHESTRION_JWT_SECRET",
            ClusterLoad.JWT_SECRET,
            "ORCHESTRION_LEASE_DURATION",
            LEASE.toString()),
        work.resolve("node-" + name));
  }

  private void startNode(List<ChildServer> nodes, int index, String token) {
    load.live(index, new ApiClient(nodes.get(index).start(), Optional.of(token)));
  }

  /**
   * The previous release's server jar, built by {@code bin/build-previous-release} (which builds
   * nothing when the jar of that commit is there already).
   */
  private static Path previousReleaseJar() throws IOException, InterruptedException {
    Path root = ChildServer.targetDirectory().getParent().getParent();
    List<String> command = new ArrayList<>(List.of("bin/build-previous-release"));
    String commit = System.getProperty("mixed.previousCommit", "");
    if (!commit.isBlank()) {
      command.add(commit);
    }
    Path log = Files.createDirectories(ChildServer.targetDirectory().resolve("previous-release"));
    Process build =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.resolve("build.log").toFile())
            .start();
    if (!build.waitFor(BUILD_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
      build.destroyForcibly();
      throw new AssertionError("bin/build-previous-release did not finish in " + BUILD_TIMEOUT);
    }
    String output = Files.readString(log.resolve("build.log"));
    assertThat(build.exitValue()).as("bin/build-previous-release: %s", output).isZero();
    System.out.print(output);
    return log.resolve("orchestrion-server-all.jar");
  }

  /** The version of the newest migration applied ({@code flyway_schema_history}). */
  private static String schemaVersion(TestDatabase database) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                    + " ORDER BY installed_rank DESC LIMIT 1")) {
      rs.next();
      String version = rs.getString(1);
      connection.rollback();
      return version;
    }
  }
}

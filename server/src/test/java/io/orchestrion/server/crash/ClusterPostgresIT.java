package io.orchestrion.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ChildServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Three nodes on one PostgreSQL (issue 12): the packaged server in three child processes on one
 * database of the embedded PostgreSQL (which runs in the test JVM and so outlives the children),
 * with a short lease. Client threads spread their requests round-robin over the nodes that are up:
 * each creates an expense and submits it on one node (with an {@code Idempotency-Key}, so that a
 * submission whose node died is sent again to another one safely), publishes the flow event its
 * asynchronous step waits for on the next node, and approves its work item on the next. One node is
 * SIGKILLed mid-load and started again later.
 *
 * <p>Afterwards every acknowledged submission exists and is APPROVED, each asynchronous step has
 * exactly one STEP_RESULT event, the event feed numbers 1, 2, 3... without holes, no client got a
 * 5xx or waited into a timeout, and no node logged a pool timeout or a 500. The children's logs are
 * kept in {@code server/target/cluster/<time>/node-N/child-M.log}. Size: {@code
 * -Dcluster.submissions} (default 60) from {@code -Dcluster.clients} threads (default 6).
 */
class ClusterPostgresIT {
  private static final int NODES = 3;
  private static final int SUBMISSIONS = Integer.getInteger("cluster.submissions", 60);
  private static final int CLIENTS = Integer.getInteger("cluster.clients", 6);

  /** The nodes' lease: the killed node's claimed jobs wait this long for the others. */
  private static final Duration LEASE = Duration.ofSeconds(3);

  private final ClusterLoad load = new ClusterLoad(NODES, SUBMISSIONS);
  private final Map<String, Long> timings = new LinkedHashMap<>();

  @Test
  void threeNodesShareTheLoadAndSurviveTheLossOfOne() throws Exception {
    long started = System.nanoTime();
    Path work =
        Files.createDirectories(
            ChildServer.targetDirectory()
                .resolve("cluster")
                .resolve(Long.toString(System.currentTimeMillis())));
    String token = ClusterLoad.adminToken();
    List<ChildServer> nodes = new ArrayList<>();
    try (TestDatabase database = TestDatabases.postgres()) {
      for (int i = 0; i < NODES; i++) {
        nodes.add(
            new ChildServer(
                ChildServer.packagedJar(),
                List.of(
                    "--data-dir",
                    work.resolve("data-" + i).toString(),
                    "--jdbc-url",
                    database.jdbcUrl(),
                    "--jdbc-user",
                    "postgres"),
                Map.of(
                    "ORCHESTRION_JWT_SECRET",
                    ClusterLoad.JWT_SECRET,
                    "ORCHESTRION_LEASE_DURATION",
                    LEASE.toString()),
                work.resolve("node-" + i)));
      }
      try {
        // The first node migrates the schema; the others start together on it.
        startNode(nodes, 0, token);
        Thread second = Thread.ofPlatform().start(() -> startNode(nodes, 1, token));
        startNode(nodes, 2, token);
        second.join();
        lap("three nodes started", started);
        ClusterLoad.deploy(load.live(0));

        Map<String, Long> leaseOwners = new ConcurrentHashMap<>();
        Thread sampler =
            Thread.ofPlatform().start(() -> ClusterLoad.sampleLeaseOwners(database, leaseOwners));
        List<Thread> clients = load.startClients(CLIENTS);
        load.awaitAcknowledged(SUBMISSIONS / 3);
        load.live(1, null);
        nodes.get(1).kill();
        lap("node 1 killed", started);
        load.awaitAcknowledged(2 * SUBMISSIONS / 3);
        startNode(nodes, 1, token);
        lap("node 1 restarted", started);
        load.joinClients(clients);
        lap("load done", started);
        sampler.interrupt();
        sampler.join();

        ApiClient api = load.live(0);
        List<JsonNode> submissions = load.awaitRunsFinished(api);
        lap("runs finished (or deadline)", started);
        List<JsonNode> events = load.readFeed(api);
        Map<String, JsonNode> runs = load.runs(api, submissions);
        lap("verified", started);
        System.out.printf(
            "Cluster test: %d submissions tried by %d clients over %d nodes,"
                + " %d in the database, statuses %s; %d events; job leases seen by node %s; %s;"
                + " timings (s) %s; logs in %s%n",
            SUBMISSIONS,
            CLIENTS,
            NODES,
            submissions.size(),
            countBy(submissions, "status"),
            events.size(),
            leaseOwners,
            load.outcomes(),
            timings,
            work);

        SoftAssertions softly = new SoftAssertions();
        load.check(softly, submissions, events, runs.values());
        for (int i = 0; i < NODES; i++) {
          softly
              .assertThat(nodes.get(i).logEntriesContaining(CrashContract.POOL_TIMEOUT))
              .as("pool timeouts logged by node " + i)
              .isEmpty();
          softly
              .assertThat(nodes.get(i).logEntriesContaining(CrashContract.INTERNAL_ERROR))
              .as("500 answers logged by node " + i)
              .isEmpty();
        }
        // The load was shared: the three first nodes and the restarted one (a new node id) each
        // held job leases.
        softly
            .assertThat(leaseOwners.keySet())
            .as("nodes seen holding job leases")
            .hasSizeGreaterThanOrEqualTo(3);
        softly.assertAll();
      } finally {
        nodes.forEach(ChildServer::close);
      }
    }
  }

  private void startNode(List<ChildServer> nodes, int index, String token) {
    load.live(index, new ApiClient(nodes.get(index).start(), Optional.of(token)));
  }

  private static Map<String, Long> countBy(List<JsonNode> nodes, String field) {
    return nodes.stream()
        .collect(
            Collectors.groupingBy(
                node -> node.path(field).asText(), TreeMap::new, Collectors.counting()));
  }

  private void lap(String name, long started) {
    timings.put(name, Duration.ofNanos(System.nanoTime() - started).toSeconds());
  }
}

package io.orchestrion.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.SubmitRequest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several nodes on one PostgreSQL (issue 12), in one JVM: each node is an engine with a pool and a
 * listening connection of its own, as a separate process would have. Measures
 *
 * <ul>
 *   <li>closed-loop throughput of {@code Bench_Three_Stages} (submissions spread round-robin over
 *       the nodes) with 1, 2 and 3 nodes, and the CPU it cost: this JVM's (all nodes) and the
 *       PostgreSQL server's processes, so that throughput per CPU second can be compared across
 *       node counts;
 *   <li>cross-node hand-off: node A (no workers) publishes the flow event an interview waits for,
 *       node B (polling once an hour) runs it; from the publish call's return to the step's end as
 *       B recorded it.
 * </ul>
 *
 * <p>Run: {@code java -cp benchmarks/target/orchestrion-benchmarks.jar
 * io.orchestrion.benchmarks.ClusterBenchmark} with {@code -Dcluster.submissions} (default 600),
 * {@code -Dcluster.threads} (6), {@code -Dcluster.handoffs} (200). See benchmarks/README.md.
 */
public final class ClusterBenchmark {
  private static final int SUBMISSIONS = Integer.getInteger("cluster.submissions", 600);
  private static final int THREADS = Integer.getInteger("cluster.threads", 6);
  private static final int HANDOFFS = Integer.getInteger("cluster.handoffs", 200);
  private static final int WARMUP = 60;

  private ClusterBenchmark() {}

  /** One round: throughput with {@code nodes} nodes and its CPU. */
  private record Round(int nodes, int approved, double seconds, double jvmCpu, double dbCpu) {
    double perSecond() {
      return approved / seconds;
    }

    double perCpuSecond() {
      return approved / (jvmCpu + dbCpu);
    }
  }

  public static void main(String[] args) throws Exception {
    String mode = System.getProperty("cluster.mode", "all");
    if (!List.of("all", "throughput", "handoff", "claims").contains(mode)) {
      throw new IllegalArgumentException(
          "cluster.mode must be all, throughput, handoff or claims: " + mode);
    }
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
      System.out.printf(
          "Cluster benchmark (mode %s), %d cores, load average %.2f at start%n",
          mode,
          Runtime.getRuntime().availableProcessors(),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      if (mode.equals("all") || mode.equals("throughput")) {
        List<Round> rounds = new ArrayList<>();
        for (int nodes = 1; nodes <= 3; nodes++) {
          rounds.add(throughput(server, nodes));
          System.out.printf("%d node(s) done%n", nodes);
        }
        report(rounds);
      }
      if (mode.equals("all") || mode.equals("handoff")) {
        HandoffBenchmark.report(
            new HandoffBenchmark(createDatabase(server, "cluster_handoff"), HANDOFFS).run());
      }
      if (mode.equals("all") || mode.equals("claims")) {
        ClaimBenchmark.report(new ClaimBenchmark(createDatabase(server, "cluster_claims")).run());
      }
      System.out.printf(
          "load average %.2f at the end%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static void report(List<Round> rounds) {
    System.out.println();
    System.out.printf(
        "%d submissions of Bench_Three_Stages from %d threads per round,"
            + " round-robin over the nodes%n",
        SUBMISSIONS, THREADS);
    System.out.println(
        "| nodes | submissions/s | CPU s, JVM (all nodes) | CPU s, PostgreSQL"
            + " | submissions per CPU second | vs. 1 node |");
    System.out.println("|---|---|---|---|---|---|");
    double single = rounds.getFirst().perCpuSecond();
    for (Round round : rounds) {
      System.out.printf(
          "| %d | %.1f | %.1f | %.1f | %.1f | %.2f |%n",
          round.nodes(),
          round.perSecond(),
          round.jvmCpu(),
          round.dbCpu(),
          round.perCpuSecond(),
          round.perCpuSecond() / single);
    }
  }

  private static Round throughput(EmbeddedPostgres server, int nodeCount) throws Exception {
    DatabaseConfig database = createDatabase(server, "cluster_" + nodeCount);
    List<OrchestrionEngine> nodes = new ArrayList<>();
    try (Connection monitor =
        server.getDatabase("postgres", "cluster_" + nodeCount).getConnection()) {
      monitor.setAutoCommit(true);
      for (int i = 0; i < nodeCount; i++) {
        nodes.add(
            OrchestrionEngine.create(
                    EngineConfig.defaults(database).withNodeId("bench-node-" + (i + 1)))
                .start());
      }
      Workload.define(nodes.getFirst(), Workload.Scenario.THREE_STAGES);
      List<String> records = createRecords(nodes, WARMUP + SUBMISSIONS);
      submitAll(nodes, records.subList(0, WARMUP), Workload.Scenario.THREE_STAGES.orchestration);
      awaitApproved(monitor, WARMUP);

      double jvmBefore = jvmCpuSeconds();
      double dbBefore = postgresCpuSeconds(server);
      long started = System.nanoTime();
      submitAll(
          nodes,
          records.subList(WARMUP, records.size()),
          Workload.Scenario.THREE_STAGES.orchestration);
      awaitApproved(monitor, WARMUP + SUBMISSIONS);
      double seconds = (System.nanoTime() - started) / 1e9;
      return new Round(
          nodeCount,
          SUBMISSIONS,
          seconds,
          jvmCpuSeconds() - jvmBefore,
          postgresCpuSeconds(server) - dbBefore);
    } finally {
      nodes.forEach(OrchestrionEngine::close);
    }
  }

  private static DatabaseConfig createDatabase(EmbeddedPostgres server, String name)
      throws SQLException {
    try (Connection admin = server.getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      admin.setAutoCommit(true);
      statement.execute("CREATE DATABASE " + name);
    }
    return new DatabaseConfig(server.getJdbcUrl("postgres", name), "postgres", "", 16);
  }

  private static List<String> createRecords(List<OrchestrionEngine> nodes, int count)
      throws Exception {
    String[] ids = new String[count];
    parallel(count, i -> ids[i] = Workload.createRecord(nodes.get(i % nodes.size()), i));
    return List.of(ids);
  }

  private static void submitAll(List<OrchestrionEngine> nodes, List<String> records, String name)
      throws Exception {
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    parallel(
        records.size(),
        i -> {
          try {
            nodes
                .get(i % nodes.size())
                .submissions()
                .submit(
                    new SubmitRequest(Workload.OBJECT_TYPE, records.get(i), name, Optional.empty()),
                    "bench");
          } catch (RuntimeException e) {
            failures.add(e.toString());
          }
        });
    if (!failures.isEmpty()) {
      throw new IllegalStateException(failures.size() + " submits failed: " + failures.peek());
    }
  }

  private static void awaitApproved(Connection monitor, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (count(monitor, "SELECT COUNT(*) FROM submissions WHERE status = 'APPROVED'") < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("submissions not APPROVED within 10 minutes");
      }
      Thread.sleep(20);
    }
  }

  private static int count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private interface Task {
    void run(int index) throws Exception;
  }

  private static void parallel(int count, Task task) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService threads =
        Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().name("bench-", 0).factory());
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        workers.add(
            threads.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    task.run(i);
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** CPU time of this JVM, every node and the driver together. */
  private static double jvmCpuSeconds() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  /**
   * CPU time of the PostgreSQL server: the postmaster started with the embedded server's port and
   * its children (the backends of the pools are long-lived, so their time is counted). Processes of
   * other users, and platforms that do not tell CPU times, count 0.
   */
  private static double postgresCpuSeconds(EmbeddedPostgres server) {
    String port = Integer.toString(server.getPort());
    return ProcessHandle.allProcesses()
        .filter(
            process ->
                process.info().command().orElse("").endsWith("postgres")
                    && Arrays.asList(process.info().arguments().orElse(new String[0]))
                        .contains(port))
        .mapToDouble(
            postmaster ->
                cpu(postmaster) + postmaster.descendants().mapToDouble(ClusterBenchmark::cpu).sum())
        .sum();
  }

  private static double cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().map(duration -> duration.toNanos() / 1e9).orElse(0.0);
  }
}

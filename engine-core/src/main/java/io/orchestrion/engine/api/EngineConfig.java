package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.flow.FlowLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * The engine's settings. Defaults are documented in docs/configuration.md.
 *
 * @param database where the engine keeps its state
 * @param nodeId this process's name in job leases; unique per process (a restarted process is a new
 *     node, so that it does not mistake its predecessor's leases for its own)
 * @param workerConcurrency how many asynchronous segments and re-checks run at once on this node;
 *     each holds one pooled connection while it runs, so the default ({@value
 *     #DEFAULT_WORKER_CONCURRENCY}) leaves half of the default pool to requests and the engine's
 *     own loops (docs/configuration.md). More workers than connections is safe: a worker waits for
 *     a free connection
 * @param pollInterval how often workers look for due jobs that no local wake-up announced (timers,
 *     other nodes' work, leases of dead nodes)
 * @param leaseDuration how long a claimed job stays claimed without renewal; a node that dies loses
 *     its jobs to other nodes after this long
 * @param timeZone the zone of {@code $Today} and time conditions unless an orchestration says
 *     otherwise
 * @param flowLimits limits of flow interviews (SPEC §6.4)
 * @param startWorkers whether {@link OrchestrionEngine#start()} starts the workers (tests that
 *     drive jobs by hand turn them off)
 * @param pluginDirectory a directory with one sub-directory per plugin, each loaded with its own
 *     class loader in addition to the plugins on the class path (docs/plugins.md); it must exist
 *     when given
 * @param synchronousTimeBudget wall-clock time the synchronous steps of one evaluation pass may
 *     take together (a submit, a decision, a record update... runs its pass inline, and so does a
 *     worker after an asynchronous step): each synchronous step's flow runs with what remains of it
 *     as its segment time limit (when shorter than {@code maxSegmentTime}), and a flow that runs
 *     past it fails, the step going to ERROR naming {@code synchronousTimeBudget}
 * @param idempotencyKeyRetention how long an {@code Idempotency-Key} is remembered with the result
 *     it protects (SPEC §11: 24 h); expired keys are deleted by the engine in small batches
 * @param pluginConfiguration the plugins' settings and secrets, each plugin receiving its own
 *     through {@code Plugin.configure} (docs/plugins.md, "Settings and secrets")
 * @param notifications how this node delivers notification events to the plugins' listeners
 * @param jobGroupSize how many jobs ready together (asynchronous segments that make no call outside
 *     the transaction, re-checks, due dates, escalation rungs) one worker may apply in one
 *     transaction, each under its own savepoint (group commit); 1 runs every job in a transaction
 *     of its own. A group forms only from jobs already waiting, never by delaying one
 * @param runCacheSize how many runs this node keeps in memory as it last locked or wrote them, so
 *     that a hand-off on one skips reading its parts again (docs/architecture.md, "The run
 *     aggregate"); 0 turns the cache off, as a rolling upgrade from a release before schema V17
 *     needs while nodes of that release still run (docs/deployment.md)
 * @param commandGroupSize how many submissions arriving together one transaction may apply, each
 *     under its own savepoint (group commit for the callers' commands, {@code work.CommandGroups});
 *     1 gives every submission a transaction of its own. A group forms only from submissions
 *     already waiting while {@code commandGroupsAtOnce} groups are running; a submission never
 *     waits for a group to fill. Decisions are grouped the same way
 * @param commandGroupsAtOnce how many groups of submissions, and of decisions, run at once (each on
 *     one of its callers' threads, the others waiting): the bound on the callers' commands that run
 *     flows at once. Default: the machine's processors; the server sets its {@code
 *     evaluationThreads}
 * @param directoryTrust how long an access check made outside any transaction (the server's
 *     authentication and permission checks) may use this node's directory index without reading the
 *     directory revision again, after a read found it current: a change made through this node is
 *     seen by every check that starts after the change returned; one committed on another node
 *     within this long. Checks inside a transaction always read the revision (it costs them no
 *     statement). {@link Duration#ZERO} reads it for every check, a transaction each. Default
 *     {@link #DEFAULT_DIRECTORY_TRUST}
 * @param jobTransactionsAtOnce how many first transactions of jobs this node handed over to its own
 *     workers (the asynchronous steps it started) may be open at once, a group of jobs counting
 *     once: a job that becomes ready while that many are open waits, and the jobs waiting when one
 *     ends run as the next group ({@code jobGroupSize}), sharing its commit. A worker gives its
 *     slot back when its first transaction ends, before any call with external side effects, so a
 *     slow call never holds one. Worth setting (to about the processors) where commits are what
 *     limits throughput (fsync on a slow disk); where CPU limits it, it costs a few per cent
 *     (benchmarks/README.md, "Job transactions at once"). {@value #NO_CAP_ON_JOB_TRANSACTIONS}: no
 *     cap, every free worker may open a transaction. Default {@value
 *     #JOB_TRANSACTIONS_BY_DATABASE}: the database decides ({@code Workers.defaultTransactionCap}):
 *     the processors on PostgreSQL, where every commit waits for its WAL flush, no cap on H2, whose
 *     file the engine writes once for a group of commits
 * @param h2Housekeeping how often the engine compacts an embedded H2 database file in a small,
 *     bounded round (copying live pages out of sparse chunks, freeing unused ones), which H2 itself
 *     is told not to do ({@code AUTO_COMPACT_FILL_RATE=0}: its own compaction moves chunks while
 *     the store is in use): without it the file grows by about 220 KiB per submission
 *     (docs/persistence.md, "The H2 file's housekeeping"). Ignored on other databases. {@link
 *     Duration#ZERO} turns it off. Default {@link #DEFAULT_H2_HOUSEKEEPING}
 * @param h2WriteGather how long a write of an embedded H2 file waits at most, while other
 *     transactions are under way, for them to commit into it (it stops waiting once none is); under
 *     load, more commits share a write and fewer bytes are written (docs/persistence.md, "Group
 *     commit in the H2 file"), at the cost of up to that much more before a commit is acknowledged.
 *     A commit with nothing else under way is written at once. Ignored on other databases. {@link
 *     Duration#ZERO}: every write begins at once. Default {@link #DEFAULT_H2_WRITE_GATHER}
 */
public record EngineConfig(
    DatabaseConfig database,
    String nodeId,
    int workerConcurrency,
    Duration pollInterval,
    Duration leaseDuration,
    ZoneId timeZone,
    FlowLimits flowLimits,
    boolean startWorkers,
    Optional<Path> pluginDirectory,
    Duration synchronousTimeBudget,
    Duration idempotencyKeyRetention,
    PluginConfiguration pluginConfiguration,
    NotificationSettings notifications,
    int jobGroupSize,
    int runCacheSize,
    int commandGroupSize,
    int commandGroupsAtOnce,
    Duration directoryTrust,
    int jobTransactionsAtOnce,
    Duration h2Housekeeping,
    Duration h2WriteGather) {
  /** Half of {@link DatabaseConfig#DEFAULT_MAX_POOL_SIZE}. */
  public static final int DEFAULT_WORKER_CONCURRENCY = 8;

  /** The default {@link #jobGroupSize()}. */
  public static final int DEFAULT_JOB_GROUP_SIZE = 16;

  /** The default {@link #commandGroupSize()}. */
  public static final int DEFAULT_COMMAND_GROUP_SIZE = 16;

  /** The default {@link #runCacheSize()}. */
  public static final int DEFAULT_RUN_CACHE_SIZE = 10_000;

  /** {@link #jobTransactionsAtOnce()}: every free worker may open a transaction. */
  public static final int NO_CAP_ON_JOB_TRANSACTIONS = 0;

  /**
   * {@link #jobTransactionsAtOnce()}: as the database suits (the default): the processors on
   * PostgreSQL, no cap on H2.
   */
  public static final int JOB_TRANSACTIONS_BY_DATABASE = -1;

  /** The default {@link #directoryTrust()}. */
  public static final Duration DEFAULT_DIRECTORY_TRUST = Duration.ofSeconds(1);

  /** The default {@link #h2Housekeeping()}. */
  public static final Duration DEFAULT_H2_HOUSEKEEPING = Duration.ofMillis(100);

  /** The default {@link #h2WriteGather()}. */
  public static final Duration DEFAULT_H2_WRITE_GATHER = Duration.ofMillis(2);

  /** The longest {@link #h2WriteGather()}: every commit under load waits up to that long. */
  public static final Duration MAX_H2_WRITE_GATHER = Duration.ofSeconds(1);

  /** SPEC §11: idempotency keys are kept 24 h. */
  public static final Duration DEFAULT_IDEMPOTENCY_KEY_RETENTION = Duration.ofHours(24);

  public EngineConfig {
    requireNonNull(database, "database is null");
    requireNonNull(nodeId, "nodeId is null");
    if (workerConcurrency < 1) {
      throw new IllegalArgumentException(
          "workerConcurrency must be positive: " + workerConcurrency);
    }
    requireNonNull(pollInterval, "pollInterval is null");
    requireNonNull(leaseDuration, "leaseDuration is null");
    requireNonNull(timeZone, "timeZone is null");
    requireNonNull(flowLimits, "flowLimits is null");
    requireNonNull(pluginDirectory, "pluginDirectory is null");
    requireNonNull(synchronousTimeBudget, "synchronousTimeBudget is null");
    if (synchronousTimeBudget.isNegative() || synchronousTimeBudget.isZero()) {
      throw new IllegalArgumentException(
          "synchronousTimeBudget must be positive: " + synchronousTimeBudget);
    }
    requireNonNull(idempotencyKeyRetention, "idempotencyKeyRetention is null");
    if (idempotencyKeyRetention.isNegative() || idempotencyKeyRetention.isZero()) {
      throw new IllegalArgumentException(
          "idempotencyKeyRetention must be positive: " + idempotencyKeyRetention);
    }
    requireNonNull(pluginConfiguration, "pluginConfiguration is null");
    requireNonNull(notifications, "notifications is null");
    if (jobGroupSize < 1) {
      throw new IllegalArgumentException("jobGroupSize must be positive: " + jobGroupSize);
    }
    if (runCacheSize < 0) {
      throw new IllegalArgumentException("runCacheSize must not be negative: " + runCacheSize);
    }
    if (commandGroupSize < 1) {
      throw new IllegalArgumentException("commandGroupSize must be positive: " + commandGroupSize);
    }
    if (commandGroupsAtOnce < 1) {
      throw new IllegalArgumentException(
          "commandGroupsAtOnce must be positive: " + commandGroupsAtOnce);
    }
    checkJobTransactionsAtOnce(jobTransactionsAtOnce);
    checkDirectoryTrust(directoryTrust);
    checkH2Housekeeping(h2Housekeeping);
    checkH2WriteGather(h2WriteGather);
  }

  /**
   * Refuses a missing, negative or longer than {@link #MAX_H2_WRITE_GATHER} {@link
   * #h2WriteGather()}, naming it (shared with the server).
   */
  public static void checkH2WriteGather(Duration h2WriteGather) {
    requireNonNull(h2WriteGather, "h2WriteGather is null");
    if (h2WriteGather.isNegative() || h2WriteGather.compareTo(MAX_H2_WRITE_GATHER) > 0) {
      throw new IllegalArgumentException(
          "h2WriteGather must be between PT0S and " + MAX_H2_WRITE_GATHER + ": " + h2WriteGather);
    }
  }

  /**
   * Refuses a missing or negative {@link #h2Housekeeping()}, naming it (shared with the server).
   */
  public static void checkH2Housekeeping(Duration h2Housekeeping) {
    requireNonNull(h2Housekeeping, "h2Housekeeping is null");
    if (h2Housekeeping.isNegative()) {
      throw new IllegalArgumentException("h2Housekeeping must not be negative: " + h2Housekeeping);
    }
  }

  /**
   * Refuses a {@link #jobTransactionsAtOnce()} below {@link #JOB_TRANSACTIONS_BY_DATABASE}, naming
   * it (shared with the server).
   */
  public static void checkJobTransactionsAtOnce(int jobTransactionsAtOnce) {
    if (jobTransactionsAtOnce < JOB_TRANSACTIONS_BY_DATABASE) {
      throw new IllegalArgumentException(
          "jobTransactionsAtOnce must be -1 (as the database suits), 0 (no cap) or a cap above 0: "
              + jobTransactionsAtOnce);
    }
  }

  /**
   * Refuses a missing or negative {@link #directoryTrust()}, naming it (shared with the server).
   */
  public static void checkDirectoryTrust(Duration directoryTrust) {
    requireNonNull(directoryTrust, "directoryTrust is null");
    if (directoryTrust.isNegative()) {
      throw new IllegalArgumentException("directoryTrust must not be negative: " + directoryTrust);
    }
  }

  /** The default {@link #synchronousTimeBudget()}. */
  public static final Duration DEFAULT_SYNCHRONOUS_TIME_BUDGET = Duration.ofSeconds(5);

  public static EngineConfig defaults(DatabaseConfig database) {
    return new EngineConfig(
        database,
        "node-" + UUID.randomUUID(),
        DEFAULT_WORKER_CONCURRENCY,
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        ZoneOffset.UTC,
        FlowLimits.defaults(),
        true,
        Optional.empty(),
        DEFAULT_SYNCHRONOUS_TIME_BUDGET,
        DEFAULT_IDEMPOTENCY_KEY_RETENTION,
        PluginConfiguration.empty(),
        NotificationSettings.defaults(),
        DEFAULT_JOB_GROUP_SIZE,
        DEFAULT_RUN_CACHE_SIZE,
        DEFAULT_COMMAND_GROUP_SIZE,
        Runtime.getRuntime().availableProcessors(),
        DEFAULT_DIRECTORY_TRUST,
        JOB_TRANSACTIONS_BY_DATABASE,
        DEFAULT_H2_HOUSEKEEPING,
        DEFAULT_H2_WRITE_GATHER);
  }

  public EngineConfig withLeaseDuration(Duration leaseDuration) {
    Copy copy = new Copy(this);
    copy.leaseDuration = leaseDuration;
    return copy.build();
  }

  public EngineConfig withPollInterval(Duration pollInterval) {
    Copy copy = new Copy(this);
    copy.pollInterval = pollInterval;
    return copy.build();
  }

  public EngineConfig withPluginDirectory(Optional<Path> pluginDirectory) {
    Copy copy = new Copy(this);
    copy.pluginDirectory = pluginDirectory;
    return copy.build();
  }

  /**
   * With the plugins' settings and secrets, e.g. {@code
   * PluginConfiguration.empty().withSetting("http-callout", "allow", "https://crm.example.com/")}.
   */
  public EngineConfig withPluginConfiguration(PluginConfiguration pluginConfiguration) {
    Copy copy = new Copy(this);
    copy.pluginConfiguration = pluginConfiguration;
    return copy.build();
  }

  /** With these settings of the delivery of notification events to plugins' listeners. */
  public EngineConfig withNotifications(NotificationSettings notifications) {
    Copy copy = new Copy(this);
    copy.notifications = notifications;
    return copy.build();
  }

  public EngineConfig withStartWorkers(boolean startWorkers) {
    Copy copy = new Copy(this);
    copy.startWorkers = startWorkers;
    return copy.build();
  }

  public EngineConfig withWorkerConcurrency(int workerConcurrency) {
    Copy copy = new Copy(this);
    copy.workerConcurrency = workerConcurrency;
    return copy.build();
  }

  public EngineConfig withJobGroupSize(int jobGroupSize) {
    Copy copy = new Copy(this);
    copy.jobGroupSize = jobGroupSize;
    return copy.build();
  }

  /**
   * With at most this many submissions, or decisions, per transaction; 1 turns group commit of them
   * off.
   */
  public EngineConfig withCommandGroupSize(int commandGroupSize) {
    Copy copy = new Copy(this);
    copy.commandGroupSize = commandGroupSize;
    return copy.build();
  }

  /** With at most this many groups of submissions, and of decisions, running at once. */
  public EngineConfig withCommandGroupsAtOnce(int commandGroupsAtOnce) {
    Copy copy = new Copy(this);
    copy.commandGroupsAtOnce = commandGroupsAtOnce;
    return copy.build();
  }

  /** With this node trusting its directory index this long outside transactions; 0 never. */
  public EngineConfig withDirectoryTrust(Duration directoryTrust) {
    Copy copy = new Copy(this);
    copy.directoryTrust = directoryTrust;
    return copy.build();
  }

  /**
   * With at most this many transactions of locally handed-over jobs open at once (a group counts
   * once); the jobs that become ready meanwhile wait and form the next group.
   */
  public EngineConfig withJobTransactionsAtOnce(int jobTransactionsAtOnce) {
    Copy copy = new Copy(this);
    copy.jobTransactionsAtOnce = jobTransactionsAtOnce;
    return copy.build();
  }

  /** With the H2 file compacted this often; {@link Duration#ZERO} never. */
  public EngineConfig withH2Housekeeping(Duration h2Housekeeping) {
    Copy copy = new Copy(this);
    copy.h2Housekeeping = h2Housekeeping;
    return copy.build();
  }

  /** With writes of an H2 file waiting up to this long for the transactions under way. */
  public EngineConfig withH2WriteGather(Duration h2WriteGather) {
    Copy copy = new Copy(this);
    copy.h2WriteGather = h2WriteGather;
    return copy.build();
  }

  /** With a run cache of this many runs; 0 turns it off. */
  public EngineConfig withRunCacheSize(int runCacheSize) {
    Copy copy = new Copy(this);
    copy.runCacheSize = runCacheSize;
    return copy.build();
  }

  public EngineConfig withSynchronousTimeBudget(Duration synchronousTimeBudget) {
    Copy copy = new Copy(this);
    copy.synchronousTimeBudget = synchronousTimeBudget;
    return copy.build();
  }

  public EngineConfig withIdempotencyKeyRetention(Duration idempotencyKeyRetention) {
    Copy copy = new Copy(this);
    copy.idempotencyKeyRetention = idempotencyKeyRetention;
    return copy.build();
  }

  public EngineConfig withFlowLimits(FlowLimits flowLimits) {
    Copy copy = new Copy(this);
    copy.flowLimits = flowLimits;
    return copy.build();
  }

  public EngineConfig withTimeZone(ZoneId timeZone) {
    Copy copy = new Copy(this);
    copy.timeZone = timeZone;
    return copy.build();
  }

  public EngineConfig withNodeId(String nodeId) {
    Copy copy = new Copy(this);
    copy.nodeId = nodeId;
    return copy.build();
  }

  /** A changeable copy of the settings, so that each {@code with...} method changes one. */
  private static final class Copy {
    private DatabaseConfig database;
    private String nodeId;
    private int workerConcurrency;
    private Duration pollInterval;
    private Duration leaseDuration;
    private ZoneId timeZone;
    private FlowLimits flowLimits;
    private boolean startWorkers;
    private Optional<Path> pluginDirectory;
    private Duration synchronousTimeBudget;
    private Duration idempotencyKeyRetention;
    private PluginConfiguration pluginConfiguration;
    private NotificationSettings notifications;
    private int jobGroupSize;
    private int runCacheSize;
    private int commandGroupSize;
    private int commandGroupsAtOnce;
    private Duration directoryTrust;
    private int jobTransactionsAtOnce;
    private Duration h2Housekeeping;
    private Duration h2WriteGather;

    Copy(EngineConfig config) {
      database = config.database;
      nodeId = config.nodeId;
      workerConcurrency = config.workerConcurrency;
      pollInterval = config.pollInterval;
      leaseDuration = config.leaseDuration;
      timeZone = config.timeZone;
      flowLimits = config.flowLimits;
      startWorkers = config.startWorkers;
      pluginDirectory = config.pluginDirectory;
      synchronousTimeBudget = config.synchronousTimeBudget;
      idempotencyKeyRetention = config.idempotencyKeyRetention;
      pluginConfiguration = config.pluginConfiguration;
      notifications = config.notifications;
      jobGroupSize = config.jobGroupSize;
      runCacheSize = config.runCacheSize;
      commandGroupSize = config.commandGroupSize;
      commandGroupsAtOnce = config.commandGroupsAtOnce;
      directoryTrust = config.directoryTrust;
      jobTransactionsAtOnce = config.jobTransactionsAtOnce;
      h2Housekeeping = config.h2Housekeeping;
      h2WriteGather = config.h2WriteGather;
    }

    EngineConfig build() {
      return new EngineConfig(
          database,
          nodeId,
          workerConcurrency,
          pollInterval,
          leaseDuration,
          timeZone,
          flowLimits,
          startWorkers,
          pluginDirectory,
          synchronousTimeBudget,
          idempotencyKeyRetention,
          pluginConfiguration,
          notifications,
          jobGroupSize,
          runCacheSize,
          commandGroupSize,
          commandGroupsAtOnce,
          directoryTrust,
          jobTransactionsAtOnce,
          h2Housekeeping,
          h2WriteGather);
    }
  }
}

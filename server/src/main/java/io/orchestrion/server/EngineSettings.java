package io.orchestrion.server;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineConfig;
import java.time.Duration;

/**
 * The engine settings an operator sizes a node with (docs/configuration.md, "Sizing"): its
 * connection pool, its worker concurrency, and the lease and poll timings of its jobs.
 *
 * @param maxPoolSize connections of this node's pool
 * @param workerConcurrency asynchronous segments and re-checks this node runs at once
 * @param leaseDuration how long a claimed job stays claimed without renewal: a killed node's jobs
 *     are taken over by the others after this long
 * @param pollInterval how often this node looks for due jobs no wake-up announced
 * @param jobGroupSize how many jobs ready together one worker applies in one transaction (group
 *     commit); 1 = one transaction per job
 * @param runCacheSize how many runs this node keeps in memory as it last locked or wrote them; 0 =
 *     off (a rolling upgrade from a release before schema V17, docs/deployment.md)
 * @param commandGroupSize how many submissions, or decisions, arriving together one transaction may
 *     apply (group commit); 1 = one transaction per request
 * @param directoryTrust how long the server's authentication and permission checks may use this
 *     node's directory index without reading the directory revision again; 0 = read it for every
 *     request (docs/security.md, "The directory index")
 * @param jobTransactionsAtOnce how many first transactions of the jobs this node hands over to its
 *     own workers may be open at once; the jobs ready meanwhile wait and share the next commit. 0 =
 *     no cap; -1 = as the database suits (the default: the processors on PostgreSQL, no cap on H2)
 * @param h2Housekeeping how often this node compacts its embedded H2 file in a small round; 0 =
 *     never (docs/persistence.md, "The H2 file's housekeeping"); ignored on PostgreSQL
 * @param h2WriteGather how long a write of this node's embedded H2 file waits at most for the
 *     transactions under way to commit into it; 0 = write at once (docs/persistence.md, "Group
 *     commit in the H2 file"); ignored on PostgreSQL
 */
public record EngineSettings(
    int maxPoolSize,
    int workerConcurrency,
    Duration leaseDuration,
    Duration pollInterval,
    int jobGroupSize,
    int runCacheSize,
    int commandGroupSize,
    Duration directoryTrust,
    int jobTransactionsAtOnce,
    Duration h2Housekeeping,
    Duration h2WriteGather) {
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

  public EngineSettings {
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be positive: " + maxPoolSize);
    }
    if (workerConcurrency < 1) {
      throw new IllegalArgumentException(
          "workerConcurrency must be positive: " + workerConcurrency);
    }
    requirePositive("leaseDuration", leaseDuration);
    requirePositive("pollInterval", pollInterval);
    if (jobGroupSize < 1) {
      throw new IllegalArgumentException("jobGroupSize must be positive: " + jobGroupSize);
    }
    if (runCacheSize < 0) {
      throw new IllegalArgumentException("runCacheSize must not be negative: " + runCacheSize);
    }
    if (commandGroupSize < 1) {
      throw new IllegalArgumentException("commandGroupSize must be positive: " + commandGroupSize);
    }
    EngineConfig.checkJobTransactionsAtOnce(jobTransactionsAtOnce);
    EngineConfig.checkDirectoryTrust(directoryTrust);
    EngineConfig.checkH2Housekeeping(h2Housekeeping);
    EngineConfig.checkH2WriteGather(h2WriteGather);
  }

  private static void requirePositive(String name, Duration value) {
    requireNonNull(value, name + " is null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  public static EngineSettings defaults() {
    return new EngineSettings(
        DatabaseConfig.DEFAULT_MAX_POOL_SIZE,
        EngineConfig.DEFAULT_WORKER_CONCURRENCY,
        DEFAULT_LEASE_DURATION,
        DEFAULT_POLL_INTERVAL,
        EngineConfig.DEFAULT_JOB_GROUP_SIZE,
        EngineConfig.DEFAULT_RUN_CACHE_SIZE,
        EngineConfig.DEFAULT_COMMAND_GROUP_SIZE,
        EngineConfig.DEFAULT_DIRECTORY_TRUST,
        EngineConfig.JOB_TRANSACTIONS_BY_DATABASE,
        EngineConfig.DEFAULT_H2_HOUSEKEEPING,
        EngineConfig.DEFAULT_H2_WRITE_GATHER);
  }

  /**
   * {@code config} with these settings' worker concurrency, lease and poll timings, groups, job
   * transactions at once, run cache, directory trust, H2 housekeeping and H2 write gather.
   */
  EngineConfig applyTo(EngineConfig config) {
    return config
        .withWorkerConcurrency(workerConcurrency)
        .withLeaseDuration(leaseDuration)
        .withPollInterval(pollInterval)
        .withJobGroupSize(jobGroupSize)
        .withRunCacheSize(runCacheSize)
        .withCommandGroupSize(commandGroupSize)
        .withDirectoryTrust(directoryTrust)
        .withJobTransactionsAtOnce(jobTransactionsAtOnce)
        .withH2Housekeeping(h2Housekeeping)
        .withH2WriteGather(h2WriteGather);
  }
}

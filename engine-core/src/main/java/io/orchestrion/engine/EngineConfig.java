package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.persistence.DatabaseConfig;
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
 * @param workerConcurrency how many asynchronous segments and re-checks run at once on this node
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
    Optional<Path> pluginDirectory) {
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
  }

  public static EngineConfig defaults(DatabaseConfig database) {
    return new EngineConfig(
        database,
        "node-" + UUID.randomUUID(),
        16,
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        ZoneOffset.UTC,
        FlowLimits.defaults(),
        true,
        Optional.empty());
  }

  public EngineConfig withLeaseDuration(Duration leaseDuration) {
    return new EngineConfig(
        database,
        nodeId,
        workerConcurrency,
        pollInterval,
        leaseDuration,
        timeZone,
        flowLimits,
        startWorkers,
        pluginDirectory);
  }

  public EngineConfig withPollInterval(Duration pollInterval) {
    return new EngineConfig(
        database,
        nodeId,
        workerConcurrency,
        pollInterval,
        leaseDuration,
        timeZone,
        flowLimits,
        startWorkers,
        pluginDirectory);
  }

  public EngineConfig withPluginDirectory(Optional<Path> pluginDirectory) {
    return new EngineConfig(
        database,
        nodeId,
        workerConcurrency,
        pollInterval,
        leaseDuration,
        timeZone,
        flowLimits,
        startWorkers,
        pluginDirectory);
  }

  public EngineConfig withStartWorkers(boolean startWorkers) {
    return new EngineConfig(
        database,
        nodeId,
        workerConcurrency,
        pollInterval,
        leaseDuration,
        timeZone,
        flowLimits,
        startWorkers,
        pluginDirectory);
  }

  public EngineConfig withWorkerConcurrency(int workerConcurrency) {
    return new EngineConfig(
        database,
        nodeId,
        workerConcurrency,
        pollInterval,
        leaseDuration,
        timeZone,
        flowLimits,
        startWorkers,
        pluginDirectory);
  }

  public EngineConfig withFlowLimits(FlowLimits flowLimits) {
    return new EngineConfig(
        database,
        nodeId,
        workerConcurrency,
        pollInterval,
        leaseDuration,
        timeZone,
        flowLimits,
        startWorkers,
        pluginDirectory);
  }
}

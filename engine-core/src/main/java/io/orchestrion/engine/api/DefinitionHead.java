package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What a list of definitions shows of one api name: how many versions it keeps, its latest and its
 * active version.
 *
 * @param versions the number of kept versions
 * @param latestVersion the highest kept version
 * @param latestCreatedAt when {@code latestVersion} was deployed
 * @param activeVersion the active version, if one is
 * @param activatedAt when {@code activeVersion} was activated
 */
public record DefinitionHead(
    String apiName,
    int versions,
    int latestVersion,
    Instant latestCreatedAt,
    Optional<Integer> activeVersion,
    Optional<Instant> activatedAt) {
  public DefinitionHead {
    requireNonNull(apiName, "apiName is null");
    requireNonNull(latestCreatedAt, "latestCreatedAt is null");
    requireNonNull(activeVersion, "activeVersion is null");
    requireNonNull(activatedAt, "activatedAt is null");
  }
}

package io.orchestrion.server.http;

/**
 * The metrics endpoint's settings.
 *
 * @param requireToken whether {@code /metrics} needs a bearer token like the API
 */
public record MetricsSettings(boolean requireToken) {}

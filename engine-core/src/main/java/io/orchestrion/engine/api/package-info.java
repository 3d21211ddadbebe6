/**
 * The embedding API's values: configuration ({@link io.orchestrion.engine.api.EngineConfig}, {@link
 * io.orchestrion.engine.api.DatabaseConfig}), requests, views of submissions, runs, work items and
 * definitions, pages, decisions and the run's logging keys. It depends on no other engine package
 * (checked by {@code PackageRulesTest}), so every engine package may use it. Non-null by default;
 * "maybe" is {@link java.util.Optional}.
 */
package io.orchestrion.engine.api;

/**
 * The engine's entry point: {@link io.orchestrion.engine.OrchestrionEngine}, its wiring ({@link
 * io.orchestrion.engine.EngineModule}) and the services an embedder calls (submissions, runs, work
 * items, records, definitions, the directory, access). Their arguments and answers are the values
 * of {@link io.orchestrion.engine.api}. No other engine package depends on this one (checked by
 * {@code PackageRulesTest}); the internals live in the feature packages below it. Non-null by
 * default: parameters, return values and record components; "maybe" is {@link java.util.Optional}.
 */
package io.orchestrion.engine;

/**
 * The embedding API of the engine: {@link io.orchestrion.engine.OrchestrionEngine} and its
 * services. Non-null by default: parameters, return values and record components; "maybe" is {@link
 * java.util.Optional}.
 */
package io.orchestrion.engine;

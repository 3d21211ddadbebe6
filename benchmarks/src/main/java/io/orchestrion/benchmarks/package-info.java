/**
 * Benchmarks of the engine: {@link io.orchestrion.benchmarks.EndToEndDriver} (submissions through a
 * real engine on H2 and PostgreSQL, with database-counted statements and commits) and the JMH
 * benchmarks of the flow interpreter. Non-null by default: parameters, return values and record
 * components; "maybe" is {@link java.util.Optional}.
 */
package io.orchestrion.benchmarks;

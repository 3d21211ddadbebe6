/**
 * JDBC foundation of the engine: the {@link io.orchestrion.engine.persistence.Database} that runs
 * transactions, the supported {@link io.orchestrion.engine.persistence.Dialect}s, the connection
 * pool and the Flyway migrations. Everything in this package is non-null unless documented
 * otherwise; "maybe" is {@link java.util.Optional}, "none" is an empty collection. {@link
 * io.orchestrion.engine.persistence.Database} is thread-safe; a {@link
 * io.orchestrion.engine.persistence.Transaction} belongs to the thread running its callback.
 */
package io.orchestrion.engine.persistence;

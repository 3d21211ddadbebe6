/**
 * Units of work: what one engine command reads and writes through. {@link
 * io.orchestrion.engine.work.UnitsOfWork} opens a {@link io.orchestrion.engine.work.UnitOfWork} per
 * command on a transaction of {@link io.orchestrion.engine.persistence.Database}; it carries the
 * transaction, the command's one clock reading, its record store, the directory and its index read
 * through the transaction, and the wake-ups to send once it commits. Several commands may share one
 * transaction, each under its own savepoint ({@link
 * io.orchestrion.engine.work.UnitOfWork#underSavepoint}). Depends on persistence, records, security
 * and signals only, so that every feature package may use it.
 */
package io.orchestrion.engine.work;

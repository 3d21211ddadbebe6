/**
 * io.orchestrion.spi.directory: the user directory the engine reads (users, roles, public groups,
 * queues, permission sets and their assignments) and the record shares it enforces (SPEC §7). The
 * engine stores a directory of its own; an embedder may plug in another identity source by
 * implementing {@link io.orchestrion.spi.directory.Directory}. Everything in this package is
 * non-null unless documented otherwise: parameters, return values and record components; "maybe" is
 * {@link java.util.Optional}, "none" is an empty collection. Values are immutable and safe to share
 * between threads.
 */
package io.orchestrion.spi.directory;

/**
 * io.orchestrion.engine.directory: the engine's own user directory on the V3 tables ({@link
 * io.orchestrion.engine.directory.JdbcDirectory}, {@link
 * io.orchestrion.engine.directory.DirectoryTables}) and explicit record shares; the entry point's
 * {@code DirectoryService} changes them. Everything is non-null unless documented otherwise;
 * "maybe" is {@link java.util.Optional}.
 */
package io.orchestrion.engine.directory;

/**
 * io.orchestrion.engine.directory: the engine's own user directory on the V3 tables ({@link
 * io.orchestrion.engine.directory.JdbcDirectory}, {@link
 * io.orchestrion.engine.directory.DirectoryTables}) and explicit record shares; the entry point's
 * {@code DirectoryService} and {@code RecordShareService} change them, validating with {@link
 * io.orchestrion.engine.directory.DirectoryChecks} and writing with {@link
 * io.orchestrion.engine.directory.DirectoryWrites}. Everything is non-null unless documented
 * otherwise; "maybe" is {@link java.util.Optional}.
 */
package io.orchestrion.engine.directory;

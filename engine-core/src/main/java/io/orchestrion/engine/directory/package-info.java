/**
 * io.orchestrion.engine.directory: the engine's own user directory on the V3 tables ({@link
 * io.orchestrion.engine.directory.JdbcDirectory}), the service that changes it ({@link
 * io.orchestrion.engine.directory.DirectoryService}) and explicit record shares. Everything is
 * non-null unless documented otherwise; "maybe" is {@link java.util.Optional}.
 */
package io.orchestrion.engine.directory;

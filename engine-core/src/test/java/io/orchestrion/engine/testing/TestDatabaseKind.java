package io.orchestrion.engine.testing;

/** The databases tests run against. */
public enum TestDatabaseKind {
  /** An in-memory H2 database: fast, for unit tests ({@code *Test}). */
  H2,
  /** A database in an embedded PostgreSQL server: for integration tests ({@code *IT}). */
  POSTGRESQL
}

package io.orchestrion.engine.work;

import java.sql.SQLException;

/** What an engine command does in its unit of work. */
@FunctionalInterface
public interface Work<T> {
  T run(UnitOfWork uow) throws SQLException;
}

package io.orchestrion.engine.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.api.Trigger;

/**
 * An H2 trigger that makes the next {@link #arm armed} number of row updates fail with a given SQL
 * state, as a deadlock (40P01), a serialization failure (40001) or a broken database would.
 */
public final class FailingUpdateTrigger implements Trigger {
  private static final AtomicInteger failuresLeft = new AtomicInteger();
  private static volatile String sqlState = "40001";

  static void arm(int failures, String state) {
    sqlState = state;
    failuresLeft.set(failures);
  }

  static int failuresLeft() {
    return failuresLeft.get();
  }

  @Override
  public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
    if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      throw new SQLException("injected failure (SQL state " + sqlState + ")", sqlState);
    }
  }
}

package io.orchestrion.engine.events;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class EventSequencerH2Test extends EventSequencerContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }

  // H2's commits are serialised anyway: a hand-off queues for the row.
  @Override
  protected boolean waitsForTheLock() {
    return true;
  }

  // H2 may run a data-change delta table once per row: the reserve is a statement of its own.
  @Override
  protected boolean reservesInTheInsert() {
    return false;
  }
}

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

  // Without waiting (forced by most tests) H2 reserves in a statement of its own: it has no SKIP
  // LOCKED reserve in an INSERT. Waiting, its dialect's choice, each row of the INSERT advances
  // the counter itself.
  @Override
  protected boolean reservesInTheInsert() {
    return false;
  }
}

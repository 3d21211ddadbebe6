package io.orchestrion.engine.events;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class EventSequencerPostgresIT extends EventSequencerContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.postgres();
  }

  // a hand-off never waits for another's WAL flush: it falls back.
  @Override
  protected boolean waitsForTheLock() {
    return false;
  }

  // a data-modifying WITH runs once: the events' INSERT reserves their numbers itself.
  @Override
  protected boolean reservesInTheInsert() {
    return true;
  }
}

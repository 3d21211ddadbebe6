package io.orchestrion.engine.notifications;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class NotificationDispatchPostgresIT extends NotificationDispatchContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.postgres();
  }
}

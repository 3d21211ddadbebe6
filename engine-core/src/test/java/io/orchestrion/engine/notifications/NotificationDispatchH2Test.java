package io.orchestrion.engine.notifications;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class NotificationDispatchH2Test extends NotificationDispatchContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}

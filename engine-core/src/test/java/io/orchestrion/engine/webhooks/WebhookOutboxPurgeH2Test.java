package io.orchestrion.engine.webhooks;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class WebhookOutboxPurgeH2Test extends WebhookOutboxPurgeContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.h2();
  }
}

package io.orchestrion.engine.webhooks;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;

class WebhookOutboxPurgePostgresIT extends WebhookOutboxPurgeContract {
  @Override
  protected TestDatabase createDatabase() {
    return TestDatabases.postgres();
  }
}

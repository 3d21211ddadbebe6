package io.orchestrion.engine.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cap on job transactions open at once that a node applies: by default the database's choice
 * (the processors on PostgreSQL, whose commits each wait for a WAL flush; none on H2, whose file
 * the engine writes once for a group of commits), and what the setting says when it says something.
 */
abstract class JobTransactionCapContract {
  private TestDatabase database;

  protected abstract TestDatabase createDatabase();

  /** The cap this database gets when the engine leaves the choice to it. */
  protected abstract int expectedDefaultCap();

  @BeforeEach
  void setUp() {
    database = createDatabase();
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  @Test
  void byDefaultTheDatabaseChooses() {
    EngineConfig config = EngineHarness.config(database, false);
    assertThat(config.jobTransactionsAtOnce()).isEqualTo(EngineConfig.JOB_TRANSACTIONS_BY_DATABASE);

    assertThat(workers(config).transactionCap()).isEqualTo(expectedDefaultCap());
    assertThat(Workers.defaultTransactionCap(database.database().dialect()))
        .isEqualTo(expectedDefaultCap());
  }

  @Test
  void aCapOrNoCapSetOverridesTheDatabasesChoice() {
    EngineConfig config = EngineHarness.config(database, false);

    assertThat(workers(config.withJobTransactionsAtOnce(3)).transactionCap()).isEqualTo(3);
    assertThat(
            workers(config.withJobTransactionsAtOnce(EngineConfig.NO_CAP_ON_JOB_TRANSACTIONS))
                .transactionCap())
        .isZero();
  }

  private Workers workers(EngineConfig config) {
    // Only the cap is read: the workers are never started, so they need no job groups.
    return new Workers(database.database(), null, new WorkSignals(), config, Clock.systemUTC());
  }
}

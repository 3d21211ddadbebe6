package io.orchestrion.engine.run;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.persistence.TransactionCallback;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repository writes what the run aggregate marked and nothing else, on a real H2 database with
 * a run a real engine created: an untouched load writes nothing, one transition one row.
 */
class RunRepositoryH2Test {
  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;
  private RunRepository repository;

  @BeforeEach
  void setUp() {
    database = TestDatabases.h2();
    harness = EngineHarness.start(database, EngineHarness.config(database, false));
    engine = harness.engine();
    harness.defineExpense();
    harness.activateFlows("flow-mark-in-review.json");
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Marked", "objectType": "Expense",
                 "stages": [{"name": "Intake", "steps": [
                   {"name": "Mark", "kind": "BACKGROUND", "flow": "Mark_In_Review",
                    "inputs": {"recordId": {"ref": "$Record.Id"}},
                    "start": {"type": "STAGE_STARTS"}}]}]}
                """),
            true);
    RunJson json = new RunJson(EngineHarness.MAPPER);
    InstancesDocument instances = new InstancesDocument(EngineHarness.MAPPER);
    repository =
        new RunRepository(
            new RunLoader(json, instances),
            new RunWriter(
                json,
                instances,
                new EventRows(
                    new io.orchestrion.engine.events.EventSequencer(
                        database.database(), new io.orchestrion.engine.signals.WorkSignals())),
                new AuditRows()),
            json,
            new RunCache(100, 2000));
  }

  @AfterEach
  void tearDown() {
    harness.close();
    database.close();
  }

  @Test
  void anUntouchedLoadWritesNothingAndATransitionWritesOnlyItsRow() {
    SubmissionView submission =
        EngineHarness.submitExpense(engine, "Marked", "alice", "Dinner", "25.00");
    Database db = database.database();

    List<String> untouched =
        db.inTransaction(
            tx -> {
              RunState run = repository.lockAndLoad(tx, submission.runId()).orElseThrow();
              assertThat(run.steps())
                  .singleElement()
                  .extracting(StepInstance::status)
                  .isEqualTo(StepStatus.COMPLETED);
              return flushCounting(tx, run);
            });
    assertThat(untouched).isEmpty();

    List<String> approver =
        db.inTransaction(
            tx -> {
              RunState run = repository.lockAndLoad(tx, submission.runId()).orElseThrow();
              run.recordApprover("carol");
              return flushCounting(tx, run);
            });
    assertThat(approver).singleElement().asString().startsWith("UPDATE runs SET");

    String stored =
        db.inTransaction(
            tx ->
                repository.read(tx, submission.runId()).orElseThrow().lastApproverId().orElse(""));
    assertThat(stored).isEqualTo("carol");
    RunView view = engine.runs().get(submission.runId());
    assertThat(view.stages()).singleElement().satisfies(s -> assertThat(s.steps()).hasSize(1));
  }

  /** Flushes {@code run} through {@code tx}, returning the SQL of each statement prepared. */
  private List<String> flushCounting(Transaction tx, RunState run) throws java.sql.SQLException {
    List<String> statements = new ArrayList<>();
    Connection real = tx.connection();
    Connection counting =
        (Connection)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().startsWith("prepare") && args != null && args.length > 0) {
                    statements.add(String.valueOf(args[0]));
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    repository.flush(
        new Transaction() {
          @Override
          public Connection connection() {
            return counting;
          }

          @Override
          public Dialect dialect() {
            return tx.dialect();
          }

          @Override
          public void afterCommit(Runnable action) {
            tx.afterCommit(action);
          }

          @Override
          public <T> void beforeCommit(BeforeCommit<T> writer, T item) {
            tx.beforeCommit(writer, item);
          }

          @Override
          public void writeGathered(BeforeCommit<?> writer) throws java.sql.SQLException {
            tx.writeGathered(writer);
          }

          @Override
          public java.sql.Savepoint setSavepoint() throws java.sql.SQLException {
            return tx.setSavepoint();
          }

          @Override
          public <T> T underSavepoint(TransactionCallback<T> work) throws java.sql.SQLException {
            return tx.underSavepoint(work);
          }

          @Override
          public void releaseSavepoint(java.sql.Savepoint savepoint) throws java.sql.SQLException {
            tx.releaseSavepoint(savepoint);
          }

          @Override
          public <T> T remembered(Key<T> key, java.util.function.Function<Transaction, T> compute) {
            return tx.remembered(key, compute);
          }

          @Override
          public void forget(Key<?> key) {
            tx.forget(key);
          }

          @Override
          public void rollbackTo(java.sql.Savepoint savepoint) throws java.sql.SQLException {
            tx.rollbackTo(savepoint);
          }
        },
        run);
    return statements;
  }
}

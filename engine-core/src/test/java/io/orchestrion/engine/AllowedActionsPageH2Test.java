package io.orchestrion.engine;

import static io.orchestrion.engine.testing.EngineHarness.fixture;
import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import com.google.inject.util.Modules;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.AllowedActions.Action;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.persistence.ForwardingDataSource;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.flow.FlowRuntimeModule;
import io.orchestrion.spi.directory.User;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The allowed actions of a page of work items are decided with one transaction for the page, not
 * one per item (issue #9 review): the connections and statements it takes, counted by a wrapper
 * around the engine's data source, do not grow with the page. bob approves both steps of every
 * expense alice submits, under distinct approvers; he also submits one himself.
 */
class AllowedActionsPageH2Test {
  private static final String DISTINCT =
      """
      {"apiName": "Distinct", "objectType": "Expense", "distinctApprovers": true, "stages": [
        {"name": "Review", "steps": [
          {"name": "First", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "bob"}},
          {"name": "Second", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "bob"}}
        ]}]}
      """;

  private TestDatabase database;
  private CountingDataSource counting;
  private OrchestrionEngine engine;
  private AllowedActions allowedActions;

  @BeforeEach
  void setUp() {
    database = TestDatabases.h2();
    counting = new CountingDataSource(database.dataSource());
    Injector injector =
        OrchestrionEngine.injector(
            List.of(
                Modules.combine(
                    new FlowRuntimeModule(EngineHarness.config(database, false).flowLimits()),
                    new EngineModule(
                        EngineHarness.config(database, false), counting, Clock.systemUTC()))));
    engine = injector.getInstance(OrchestrionEngine.class);
    allowedActions = injector.getInstance(AllowedActions.class);
    engine.start();
    engine
        .objectTypes()
        .define(EngineHarness.read(fixture("expense.object.json"), ObjectTypeDefinition.class));
    engine.directory().saveUser(User.of("bob", "Bob"));
    engine.directory().saveUser(User.of("alice", "Alice"));
    engine.orchestrations().deploy(orchestration(DISTINCT), true);
  }

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
    database.close();
  }

  @Test
  void aPageTakesAsManyConnectionsAndStatementsWhateverItsLength() {
    submitAndApproveFirst(1);
    submitOpen(1);
    List<WorkItemView> smallPage = inbox("bob");
    assertThat(smallPage).hasSize(3);
    Cost small = cost(smallPage);
    submitAndApproveFirst(4);
    submitOpen(3);
    List<WorkItemView> page = inbox("bob");
    assertThat(page).hasSize(13);

    Cost large = cost(page);

    assertThat(large).isEqualTo(small);
    assertThat(large.connections()).isLessThanOrEqualTo(4);
  }

  @Test
  void thePageHasTheActionsOfEachItemAsTheRulesDecide() {
    Set<String> firstApproved = submitAndApproveFirst(2);
    SubmissionView open = EngineHarness.submitExpense(engine, "Distinct", "alice", "Taxi", "30");
    SubmissionView own = EngineHarness.submitExpense(engine, "Distinct", "bob", "Hotel", "300");
    List<WorkItemView> page = inbox("bob");

    List<List<Action>> actions = allowedActions.forUser("bob").on(page);

    assertThat(actions).hasSameSizeAs(page);
    List<String> expected = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    for (int i = 0; i < page.size(); i++) {
      WorkItemView item = page.get(i);
      // Distinct approvers: bob decided First of the run; separation of duties: his own expense.
      boolean refused =
          firstApproved.contains(item.runId()) || item.submissionId().equals(own.id());
      expected.add(
          item.id()
              + " "
              + (refused ? List.of(Action.REASSIGN) : List.of(Action.DECIDE, Action.REASSIGN)));
      actual.add(item.id() + " " + actions.get(i));
      // One item alone is decided as within the page.
      assertThat(allowedActions.forUser("bob").on(item)).isEqualTo(actions.get(i));
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(page).extracting(WorkItemView::runId).contains(open.runId(), own.runId());
    // Decided items have no actions, and an admin-less stranger none either.
    assertThat(allowedActions.forUser("alice").on(page)).allMatch(List::isEmpty);
  }

  /** Submits {@code count} expenses of alice's; bob approves each one's First step. */
  private Set<String> submitAndApproveFirst(int count) {
    Set<String> runs = new HashSet<>();
    for (int i = 0; i < count; i++) {
      SubmissionView submission =
          EngineHarness.submitExpense(engine, "Distinct", "alice", "Lunch " + i, "12");
      WorkItemView first =
          engine.workItems().ofRun(submission.runId()).stream()
              .filter(item -> item.stepName().equals("First"))
              .findFirst()
              .orElseThrow();
      engine.workItems().decide(first.id(), Decision.APPROVE, Optional.empty(), "bob");
      runs.add(submission.runId());
    }
    return runs;
  }

  /** Submits {@code count} expenses of alice's that nobody decided yet. */
  private void submitOpen(int count) {
    for (int i = 0; i < count; i++) {
      EngineHarness.submitExpense(engine, "Distinct", "alice", "Taxi " + i, "30");
    }
  }

  private List<WorkItemView> inbox(String userId) {
    return engine.workItems().inbox(userId, WorkItemStatus.ASSIGNED, Optional.empty(), 100).items();
  }

  /** The connections and statements that deciding the page's actions takes. */
  private Cost cost(List<WorkItemView> page) {
    // Once first, so that caches (orchestration versions, the directory index) are warm.
    allowedActions.forUser("bob").on(page);
    int connections = counting.connections.get();
    int statements = counting.statements.get();
    // Only this thread's: the engine's background loops take connections of their own meanwhile.
    counting.countedThread = Thread.currentThread();
    List<List<Action>> actions;
    try {
      actions = allowedActions.forUser("bob").on(page);
    } finally {
      counting.countedThread = null;
    }
    assertThat(actions).hasSameSizeAs(page).anyMatch(a -> a.contains(Action.DECIDE));
    return new Cost(
        counting.connections.get() - connections, counting.statements.get() - statements);
  }

  private record Cost(int connections, int statements) {}

  /** Counts the connections taken from a data source and the statements prepared on them. */
  private static final class CountingDataSource extends ForwardingDataSource {
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger statements = new AtomicInteger();
    volatile Thread countedThread;

    CountingDataSource(DataSource delegate) {
      super(delegate);
    }

    @Override
    protected Connection wrap(Connection connection) {
      if (Thread.currentThread() != countedThread) {
        return connection;
      }
      connections.incrementAndGet();
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if (method.getName().startsWith("prepare")
                    || method.getName().equals("createStatement")) {
                  statements.incrementAndGet();
                }
                try {
                  return method.invoke(connection, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }
}

package io.orchestrion.engine.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Module;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.NotificationSettings;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.conditions.BuiltInConditionsPlugin;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.plugins.PluginManager;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestingClock;
import io.orchestrion.flow.BuiltInActionsPlugin;
import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.User;
import io.orchestrion.spi.notification.Notification;
import io.orchestrion.spi.notification.NotificationContext;
import io.orchestrion.spi.notification.NotificationListener;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery of notification events to plugin listeners (docs/plugins.md "Notification listeners")
 * through real engines on a real database: after commit, in sequence order, with no transaction
 * open, durable across restarts, retried with back-off on a virtual clock, one failing listener not
 * holding up another, and one node at a time per listener.
 */
abstract class NotificationDispatchContract {
  private static final Set<EventKind> KINDS =
      Set.of(EventKind.WORK_ITEM_CREATED, EventKind.WORK_ITEM_DECIDED, EventKind.RUN_COMPLETED);

  private static final String TRIP =
      """
      {"apiName": "Trip", "sharing": "PRIVATE", "fields": [
        {"name": "Title", "type": "TEXT", "required": true, "approverVisible": true},
        {"name": "Amount", "type": "CURRENCY", "required": true, "approverVisible": true},
        {"name": "Notes", "type": "TEXT"}]}
      """;

  private static final String ORCHESTRATION =
      """
      {"apiName": "Trip_Approval", "objectType": "Trip", "stages": [{"name": "Review", "steps": [
        {"name": "Manager_Approval", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "bob"}},
        {"name": "Reviewers_Approval", "kind": "APPROVAL",
         "assignee": {"type": "GROUP", "group": "Reviewers"}}]}]}
      """;

  private TestDatabase database;
  private final TestingClock clock = new TestingClock();
  private final List<OrchestrionEngine> engines = new ArrayList<>();

  protected abstract TestDatabase createDatabase();

  @BeforeEach
  void setUp() {
    database = createDatabase();
  }

  @AfterEach
  void tearDown() {
    engines.forEach(OrchestrionEngine::close);
    database.close();
  }

  @Test
  void wantedEventsArriveInSequenceOrderAfterCommitWithNoTransactionOpenAndOnlyOnce() {
    List<String> seen = new CopyOnWriteArrayList<>();
    List<Notification> received = new CopyOnWriteArrayList<>();
    OrchestrionEngine[] holder = new OrchestrionEngine[1];
    Recorder recorder =
        new Recorder(
            "recorder",
            (notification, context) -> {
              OrchestrationEvent event = notification.event();
              // The change is committed and this thread may open a transaction of its own: a
              // listener called inside one would fail here (Database refuses nesting).
              SubmissionView submission = holder[0].submissions().get(event.submissionId());
              seen.add(event.kind() + " " + submission.status());
              if (event.kind() == EventKind.WORK_ITEM_CREATED) {
                String type = (String) event.payload().get("assigneeType");
                String id = (String) event.payload().get("assigneeId");
                seen.add("to " + context.assigneeUsers(type, id).stream().map(User::id).toList());
              }
              received.add(notification);
            });
    OrchestrionEngine engine = startEngine(manualDelivery(), recorder);
    holder[0] = engine;
    definePeopleAndOrchestration(engine);
    String recordId = trip(engine, "Lisbon offsite", "870.50");

    SubmissionView submission = submit(engine, recordId);
    engine.runDueJobs();
    assertThat(engine.deliverNotifications()).isEqualTo(2);
    decideAll(engine, submission.runId());
    engine.runDueJobs();
    assertThat(engine.deliverNotifications()).isEqualTo(3);

    assertThat(received)
        .extracting(notification -> notification.event().kind())
        .containsExactly(
            EventKind.WORK_ITEM_CREATED,
            EventKind.WORK_ITEM_CREATED,
            EventKind.WORK_ITEM_DECIDED,
            EventKind.WORK_ITEM_DECIDED,
            EventKind.RUN_COMPLETED);
    assertThat(received)
        .extracting(notification -> notification.event().sequence())
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(seen)
        .containsExactly(
            "WORK_ITEM_CREATED IN_PROGRESS",
            "to [bob]",
            "WORK_ITEM_CREATED IN_PROGRESS",
            "to [carol, dan]",
            "WORK_ITEM_DECIDED APPROVED",
            "WORK_ITEM_DECIDED APPROVED",
            "RUN_COMPLETED APPROVED");
    Notification first = received.get(0);
    assertThat(first.submitterId()).contains("alice");
    assertThat(first.recordSummary())
        .containsOnlyKeys("Title", "Amount")
        .containsEntry("Title", "Lisbon offsite")
        .containsEntry("Amount", new BigDecimal("870.50"));
    assertThat(first.event().submissionId()).isEqualTo(submission.id());

    // Nothing twice, also after a restart on the same database.
    assertThat(engine.deliverNotifications()).isZero();
    engine.close();
    engines.remove(engine);
    OrchestrionEngine restarted = startEngine(manualDelivery(), recorder);
    holder[0] = restarted;
    assertThat(restarted.deliverNotifications()).isZero();
    assertThat(received).hasSize(5);
  }

  @Test
  void aNewListenerHearsOnlyEventsNumberedAfterItsFirstStart() {
    List<EventKind> received = new CopyOnWriteArrayList<>();
    OrchestrionEngine before = startEngine(manualDelivery());
    definePeopleAndOrchestration(before);
    submit(before, trip(before, "Before", "10"));
    before.runDueJobs();
    before.close();
    engines.remove(before);

    OrchestrionEngine engine =
        startEngine(
            manualDelivery(), new Recorder("late", (n, c) -> received.add(n.event().kind())));
    SubmissionView later = submit(engine, trip(engine, "After", "20"));
    engine.runDueJobs();
    assertThat(engine.deliverNotifications()).isEqualTo(2);
    assertThat(received).containsExactly(EventKind.WORK_ITEM_CREATED, EventKind.WORK_ITEM_CREATED);
    assertThat(engine.workItems().ofRun(later.runId())).hasSize(2);
  }

  @Test
  void aFailingListenerIsRetriedAfterBackOffWithoutHoldingUpAnotherOne() {
    List<Long> flakyCalls = new CopyOnWriteArrayList<>();
    List<Long> flakyDone = new CopyOnWriteArrayList<>();
    List<Long> steadyDone = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(2);
    Recorder flaky =
        new Recorder(
            "flaky",
            (n, c) -> {
              flakyCalls.add(n.event().sequence());
              if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("mail server down");
              }
              flakyDone.add(n.event().sequence());
            });
    Recorder steady = new Recorder("steady", (n, c) -> steadyDone.add(n.event().sequence()));
    OrchestrionEngine engine =
        startEngine(
            manualDelivery().withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(30)),
            flaky,
            steady);
    definePeopleAndOrchestration(engine);
    submit(engine, trip(engine, "Porto", "99"));
    engine.runDueJobs();

    assertThat(engine.deliverNotifications()).isEqualTo(2);
    assertThat(steadyDone).hasSize(2);
    long firstEvent = steadyDone.get(0);
    assertThat(flakyCalls).containsExactly(firstEvent);
    NotificationCursors cursors = cursors(engine);
    assertThat(cursors.state("flaky").orElseThrow().attempts()).isEqualTo(1);
    assertThat(cursors.state("flaky").orElseThrow().lastError())
        .contains("IllegalStateException: mail server down");

    // Not due before its back-off.
    clock.advance(Duration.ofSeconds(59));
    assertThat(engine.deliverNotifications()).isZero();
    assertThat(flakyCalls).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(engine.deliverNotifications()).isZero();
    assertThat(flakyCalls).containsExactly(firstEvent, firstEvent);
    assertThat(cursors.state("flaky").orElseThrow().attempts()).isEqualTo(2);

    // The second back-off is twice the first.
    clock.advance(Duration.ofSeconds(119));
    engine.deliverNotifications();
    assertThat(flakyCalls).hasSize(2);
    clock.advance(Duration.ofSeconds(1));
    assertThat(engine.deliverNotifications()).isEqualTo(2);
    assertThat(flakyDone).containsExactlyElementsOf(steadyDone);
    assertThat(cursors.state("flaky").orElseThrow().attempts()).isZero();
    assertThat(cursors.state("flaky").orElseThrow().lastError()).isEmpty();
    assertThat(engine.deliverNotifications()).isZero();
  }

  @Test
  void anEventThatKeepsFailingIsDroppedAfterTheLastAttemptAndTheListenerGoesOn() {
    List<EventKind> done = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    Recorder picky =
        new Recorder(
            "picky",
            (n, c) -> {
              calls.incrementAndGet();
              if ("bob".equals(n.event().payload().get("assigneeId"))) {
                throw new IllegalStateException("bob's mailbox is full");
              }
              done.add(n.event().kind());
            });
    OrchestrionEngine engine =
        startEngine(
            manualDelivery()
                .withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10))
                .withMaxAttempts(3),
            picky);
    definePeopleAndOrchestration(engine);
    submit(engine, trip(engine, "Faro", "5"));
    engine.runDueJobs();

    for (int attempt = 0; attempt < 3; attempt++) {
      engine.deliverNotifications();
      clock.advance(Duration.ofSeconds(10));
    }

    assertThat(calls).hasValue(4);
    assertThat(done).containsExactly(EventKind.WORK_ITEM_CREATED);
    assertThat(cursors(engine).state("picky").orElseThrow().attempts()).isZero();
  }

  @Test
  void aDeadNodesLeaseIsTakenOverOnceItExpires() {
    List<EventKind> received = new CopyOnWriteArrayList<>();
    OrchestrionEngine engine =
        startEngine(
            manualDelivery().withLease(Duration.ofMinutes(2)),
            new Recorder("mailer", (n, c) -> received.add(n.event().kind())));
    definePeopleAndOrchestration(engine);
    submit(engine, trip(engine, "Bergen", "42"));
    engine.runDueJobs();
    // Another node claimed the listener and died before delivering anything.
    Instant now = clock.instant();
    assertThat(cursors(engine).claim("mailer", "dead-node", now, now.plus(Duration.ofMinutes(2))))
        .isPresent();

    assertThat(engine.deliverNotifications()).isZero();
    clock.advance(Duration.ofSeconds(119));
    assertThat(engine.deliverNotifications()).isZero();
    assertThat(received).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(engine.deliverNotifications()).isEqualTo(2);
    assertThat(received).containsExactly(EventKind.WORK_ITEM_CREATED, EventKind.WORK_ITEM_CREATED);
    // The dead node, back, cannot move the position it no longer owns.
    assertThat(cursors(engine).advance("mailer", "dead-node", 1, Optional.empty(), clock.instant()))
        .isFalse();
  }

  @Test
  void twoNodesDeliverEachEventOnceBetweenThem() throws Exception {
    List<String> deliveries = new CopyOnWriteArrayList<>();
    NotificationSettings running =
        NotificationSettings.defaults().withPollInterval(Duration.ofMillis(20)).withBatchSize(3);
    Clock real = Clock.systemUTC();
    OrchestrionEngine nodeA =
        startEngine(
            real,
            true,
            running,
            new Recorder("shared", (n, c) -> deliveries.add("A " + n.event().eventId())));
    OrchestrionEngine nodeB =
        startEngine(
            real,
            true,
            running,
            new Recorder("shared", (n, c) -> deliveries.add("B " + n.event().eventId())));
    definePeopleAndOrchestration(nodeA);
    int submissions = 6;
    for (int i = 0; i < submissions; i++) {
      OrchestrionEngine node = i % 2 == 0 ? nodeA : nodeB;
      submit(node, trip(node, "Trip " + i, "1" + i));
    }

    awaitTrue(() -> deliveries.size() >= submissions * 2, "all deliveries");
    Thread.sleep(200); // let a duplicate, if any, show up
    List<String> eventIds = deliveries.stream().map(line -> line.substring(2)).toList();
    assertThat(eventIds).hasSize(submissions * 2).doesNotHaveDuplicates();
  }

  // ---- helpers ----

  private NotificationSettings manualDelivery() {
    return NotificationSettings.defaults().withEnabled(false);
  }

  private OrchestrionEngine startEngine(NotificationSettings settings, Recorder... listeners) {
    return startEngine(clock, false, settings, listeners);
  }

  private OrchestrionEngine startEngine(
      Clock engineClock, boolean workers, NotificationSettings settings, Recorder... listeners) {
    EngineConfig config =
        EngineHarness.config(database, workers)
            .withNotifications(settings)
            .withPollInterval(Duration.ofMillis(50));
    Plugin plugin =
        new Plugin() {
          @Override
          public String id() {
            return "test-notifications";
          }

          @Override
          public List<NotificationListener> getNotificationListeners() {
            return List.of(listeners);
          }
        };
    Module plugins =
        binder ->
            binder
                .bind(PluginManager.class)
                .toInstance(
                    PluginManager.loadFromClassPath(
                        List.of(new BuiltInConditionsPlugin(), new BuiltInActionsPlugin(), plugin),
                        NotificationDispatchContract.class.getClassLoader()));
    OrchestrionEngine engine =
        OrchestrionEngine.create(config, database.dataSource(), engineClock, List.of(plugins));
    engine.start();
    engines.add(engine);
    return engine;
  }

  private NotificationCursors cursors(OrchestrionEngine engine) {
    return new NotificationCursors(new Database(database.dataSource()));
  }

  private static void definePeopleAndOrchestration(OrchestrionEngine engine) {
    engine.objectTypes().define(EngineHarness.read(TRIP, ObjectTypeDefinition.class));
    engine.directory().saveUser(User.of("bob", "Bob"));
    engine.directory().saveUser(User.of("alice", "Alice").withManager("bob"));
    engine.directory().saveUser(User.of("carol", "Carol"));
    engine.directory().saveUser(User.of("dan", "Dan"));
    engine.directory().saveUser(User.of("erin", "Erin").withActive(false));
    engine
        .directory()
        .saveGroup(
            new PublicGroup(
                "Reviewers",
                "Reviewers",
                List.of(
                    GroupMember.user("dan"), GroupMember.user("carol"), GroupMember.user("erin"))));
    engine.orchestrations().deploy(EngineHarness.orchestration(ORCHESTRATION), true);
  }

  private static String trip(OrchestrionEngine engine, String title, String amount) {
    return engine
        .records()
        .create(
            "Trip",
            Map.of("Title", title, "Amount", new BigDecimal(amount), "Notes", "private"),
            "alice")
        .id()
        .orElseThrow();
  }

  private static SubmissionView submit(OrchestrionEngine engine, String recordId) {
    return engine
        .submissions()
        .submit(new SubmitRequest("Trip", recordId, "Trip_Approval", Optional.empty()), "alice");
  }

  private static void decideAll(OrchestrionEngine engine, String runId) {
    for (WorkItemView item : engine.workItems().ofRun(runId)) {
      String decider = "USER".equals(item.assigneeType()) ? item.assigneeId() : "carol";
      engine.workItems().decide(item.id(), Decision.APPROVE, Optional.of("ok"), decider);
    }
    assertThat(engine.submissions().get(engine.runs().get(runId).submissionId()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not reached in 20 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  /** A listener of the three kinds that hands each notification to a callback. */
  record Recorder(String id, Callback callback) implements NotificationListener {
    @Override
    public Set<EventKind> kinds() {
      return KINDS;
    }

    @Override
    public void deliver(Notification notification, NotificationContext context) throws Exception {
      callback.accept(notification, context);
    }
  }

  @FunctionalInterface
  interface Callback {
    void accept(Notification notification, NotificationContext context) throws Exception;
  }
}

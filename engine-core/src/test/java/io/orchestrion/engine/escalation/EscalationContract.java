package io.orchestrion.engine.escalation;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.calendar.BusinessCalendar;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.AuditEntryView;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestingClock;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Business calendars and escalation ladders (docs/orchestrations.md, "Business calendars" and
 * "Escalation") through a real engine on a real database, on a clock the test moves: no worker
 * runs, {@link OrchestrionEngine#runDueJobs()} runs what is due, nothing sleeps.
 *
 * <p>The clock starts on Wednesday 2025-01-15 at 09:30 UTC (10:30 in Berlin). The calendar
 * "Berlin-Office" works Monday to Friday, 09:00–17:00 Berlin time, and Friday 2025-01-17 is a
 * holiday. Alice submits; carol (whose manager is dave) decides; the Finance queue is fiona's.
 */
abstract class EscalationContract {
  private static final Instant WEDNESDAY = Instant.parse("2025-01-15T09:30:00Z");

  private TestDatabase database;
  private TestingClock clock;
  private OrchestrionEngine engine;

  protected abstract TestDatabase createDatabase();

  /** A second connection pool on the same database for a second node, or the same one (H2). */
  protected abstract DataSource secondNodeDataSource(TestDatabase database);

  @BeforeEach
  void setUp() {
    database = createDatabase();
    clock = new TestingClock(WEDNESDAY);
    engine =
        OrchestrionEngine.create(
            EngineHarness.config(database, false), database.dataSource(), clock, List.of());
    engine.start();
    engine
        .objectTypes()
        .define(
            EngineHarness.read(
                EngineHarness.fixture("expense.object.json"), ObjectTypeDefinition.class));
    var directory = engine.directory();
    directory.saveUser(User.of("dave", "Dave (carol's manager)"));
    directory.saveUser(User.of("carol", "Carol").withManager("dave"));
    directory.saveUser(User.of("bob", "Bob"));
    directory.saveUser(User.of("alice", "Alice").withManager("bob"));
    directory.saveUser(User.of("fiona", "Fiona"));
    directory.saveQueue(
        new Queue("Finance", "Finance", List.of(GroupMember.user("fiona")), List.of("Expense")));
    engine.calendars().put("Berlin-Office", office());
  }

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
    database.close();
  }

  private static BusinessCalendar office() {
    return new BusinessCalendar(
        "Berlin-Office",
        "Europe/Berlin",
        null,
        LocalTime.of(9, 0),
        LocalTime.of(17, 0),
        List.of(LocalDate.parse("2025-01-17")));
  }

  // ---- The rungs ----

  @Test
  void remindThenReassignToTheManagerThenDecideApproveInBusinessTime() throws SQLException {
    deploy(
        "Ladder",
        """
        "assignee": {"type": "USER", "userId": "carol"}, "calendar": "Berlin-Office",
        "escalation": [
          {"after": "PT2H", "action": "REMIND"},
          {"after": "PT4H", "action": "REASSIGN", "to": {"type": "ASSIGNEE_MANAGER"}},
          {"after": "P2D", "action": "DECIDE", "decision": "APPROVE", "comments": "no answer"}]
        """);
    SubmissionView submission = submit("Ladder");
    WorkItemView item = item(submission);

    // Rung 1 at 12:30 Berlin (11:30 UTC), not a second before.
    at("2025-01-15T11:29:59Z");
    assertThat(events(submission, EventKind.WORK_ITEM_REMINDED)).isEmpty();
    at("2025-01-15T11:30:00Z");
    assertThat(events(submission, EventKind.WORK_ITEM_REMINDED))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.payload())
                  .containsEntry("workItemId", item.id())
                  .containsEntry("step", "Review")
                  .containsEntry("rung", 1)
                  .containsEntry("action", "REMIND")
                  .containsEntry("assigneeType", "USER")
                  .containsEntry("assigneeId", "carol");
              assertThat(event.step()).contains("Review");
            });
    assertThat(engine.workItems().get(item.id(), "carol").assigneeId()).isEqualTo("carol");

    // Rung 2 at 14:30 Berlin: carol's manager dave gets the item.
    at("2025-01-15T13:30:00Z");
    WorkItemView escalated = engine.workItems().get(item.id(), "dave");
    assertThat(escalated.status()).isEqualTo(WorkItemStatus.ASSIGNED);
    assertThat(escalated.assigneeId()).isEqualTo("dave");
    assertThat(events(submission, EventKind.WORK_ITEM_ESCALATED))
        .singleElement()
        .satisfies(
            event ->
                assertThat(event.payload())
                    .containsEntry("workItemId", item.id())
                    .containsEntry("rung", 2)
                    .containsEntry("fromAssigneeType", "USER")
                    .containsEntry("fromAssigneeId", "carol")
                    .containsEntry("assigneeType", "USER")
                    .containsEntry("assigneeId", "dave"));

    // Rung 3, P2D from Wednesday 10:30: Thursday 10:30 is one working day, Friday is a holiday,
    // the weekend does not count: Monday 10:30 Berlin (09:30 UTC).
    at("2025-01-20T09:29:59Z");
    assertThat(engine.workItems().get(item.id(), "dave").status())
        .isEqualTo(WorkItemStatus.ASSIGNED);
    at("2025-01-20T09:30:00Z");
    WorkItemView decided = engine.workItems().get(item.id(), "dave");
    assertThat(decided.status()).isEqualTo(WorkItemStatus.APPROVED);
    assertThat(decided.decidedBy()).contains("automated-process");
    assertThat(decided.comments()).contains("escalation rung 3 after P2D: no answer");
    SubmissionView done = engine.submissions().get(submission.id());
    assertThat(done.status()).isEqualTo(SubmissionStatus.APPROVED);
    assertThat(done.history())
        .extracting(AuditEntryView::action, AuditEntryView::performerId, AuditEntryView::channel)
        .containsExactly(
            tuple("SUBMIT", "alice", "API"),
            tuple("ESCALATE", "automated-process", "SYSTEM"),
            tuple("REVIEW", "automated-process", "SYSTEM"));
    assertThat(done.history().get(1).comments().orElseThrow())
        .isEqualTo(
            "escalation rung 2 after PT4H: work item %s from USER carol to USER dave"
                .formatted(item.id()));
    assertThat(done.history().get(2).comments())
        .contains("APPROVE: escalation rung 3 after P2D: no answer");
    assertThat(events(submission, EventKind.WORK_ITEM_DECIDED))
        .singleElement()
        .satisfies(event -> assertThat(event.payload()).containsEntry("decision", "APPROVE"));
    assertThat(rungJobs(item.id())).isZero();
  }

  @Test
  void aDecideRungCountsAsItsItemsDecisionUnderTheStepsPolicy() {
    deploy(
        "Unanimous_Ladder",
        """
        "assignees": [{"type": "USER", "userId": "carol"}, {"type": "QUEUE", "queue": "Finance"}],
        "policy": {"type": "UNANIMOUS"},
        "escalation": [{"after": "PT1H", "action": "DECIDE", "decision": "APPROVE"}]
        """);
    SubmissionView submission = submit("Unanimous_Ladder");
    List<WorkItemView> items = engine.workItems().ofRun(submission.runId());
    assertThat(items).hasSize(2);
    engine.workItems().decide(items.get(0).id(), Decision.APPROVE, Optional.empty(), "carol");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.IN_PROGRESS);

    clock.advance(Duration.ofHours(1));
    engine.runDueJobs();

    // The rung decided the queue's item; with carol's approval the step settles unanimously.
    assertThat(engine.workItems().get(items.get(1).id(), "fiona").decidedBy())
        .contains("automated-process");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
    @SuppressWarnings("unchecked")
    Map<String, Object> tally =
        (Map<String, Object>)
            engine
                .runs()
                .get(submission.runId())
                .stages()
                .get(0)
                .steps()
                .get(0)
                .outputs()
                .get("approvalTally");
    assertThat(tally)
        .containsEntry("approved", 2)
        .containsEntry("settlement", "APPROVED unanimously (2 of 2)");
  }

  @Test
  void reassignToAQueueThenDecideRejectInWallClockTime() {
    deploy(
        "Queue_Ladder",
        """
        "assignee": {"type": "USER", "userId": "carol"},
        "escalation": [
          {"after": "PT1H", "action": "REASSIGN", "to": {"type": "QUEUE", "queue": "Finance"}},
          {"after": "PT3H", "action": "DECIDE", "decision": "REJECT"}]
        """);
    SubmissionView submission = submit("Queue_Ladder");
    WorkItemView item = item(submission);

    clock.advance(Duration.ofHours(1));
    engine.runDueJobs();
    assertThat(engine.workItems().get(item.id(), "fiona"))
        .extracting(WorkItemView::assigneeType, WorkItemView::assigneeId)
        .containsExactly("QUEUE", "Finance");
    assertThat(
            engine
                .workItems()
                .inbox("fiona", WorkItemStatus.ASSIGNED, Optional.empty(), 50)
                .items())
        .extracting(WorkItemView::id)
        .containsExactly(item.id());

    clock.advance(Duration.ofHours(2));
    engine.runDueJobs();
    WorkItemView decided = engine.workItems().get(item.id(), "fiona");
    assertThat(decided.status()).isEqualTo(WorkItemStatus.REJECTED);
    assertThat(decided.decidedBy()).contains("automated-process");
    assertThat(decided.comments()).contains("escalation rung 2 after PT3H");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.REJECTED);
  }

  @Test
  void anAssigneeManagerRungOnAQueueItemRemindsInstead() {
    deploy(
        "No_Manager",
        """
        "assignee": {"type": "QUEUE", "queue": "Finance"},
        "escalation": [{"after": "PT1H", "action": "REASSIGN", "to": {"type": "ASSIGNEE_MANAGER"}}]
        """);
    SubmissionView submission = submit("No_Manager");
    WorkItemView item = item(submission);

    clock.advance(Duration.ofHours(1));
    engine.runDueJobs();

    assertThat(engine.workItems().get(item.id(), "fiona"))
        .extracting(WorkItemView::status, WorkItemView::assigneeType, WorkItemView::assigneeId)
        .containsExactly(WorkItemStatus.ASSIGNED, "QUEUE", "Finance");
    assertThat(events(submission, EventKind.WORK_ITEM_ESCALATED)).isEmpty();
    assertThat(events(submission, EventKind.WORK_ITEM_REMINDED))
        .singleElement()
        .satisfies(
            event ->
                assertThat(event.payload())
                    .containsEntry("rung", 1)
                    .containsEntry("reason", "not reassigned: a QUEUE assignee has no manager"));
    assertThat(engine.submissions().get(submission.id()).history())
        .extracting(AuditEntryView::action)
        .containsExactly("SUBMIT", "ESCALATE");
  }

  @Test
  void aDecisionCancelsTheItemsRungs() throws SQLException {
    deploy(
        "Decided_Early",
        """
        "assignee": {"type": "USER", "userId": "carol"},
        "escalation": [
          {"after": "PT1H", "action": "REMIND"},
          {"after": "PT2H", "action": "DECIDE", "decision": "REJECT"}]
        """);
    SubmissionView submission = submit("Decided_Early");
    WorkItemView item = item(submission);
    assertThat(rungJobs(item.id())).isEqualTo(2);

    engine.workItems().decide(item.id(), Decision.APPROVE, Optional.of("fine"), "carol");
    assertThat(rungJobs(item.id())).isZero();

    clock.advance(Duration.ofHours(5));
    engine.runDueJobs();
    WorkItemView decided = engine.workItems().get(item.id(), "carol");
    assertThat(decided.status()).isEqualTo(WorkItemStatus.APPROVED);
    assertThat(decided.decidedBy()).contains("carol");
    assertThat(events(submission, EventKind.WORK_ITEM_REMINDED)).isEmpty();
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
  }

  @Test
  void aRecallCancelsTheRungsToo() throws SQLException {
    deploy(
        "Recalled",
        """
        "assignee": {"type": "USER", "userId": "carol"},
        "escalation": [{"after": "PT1H", "action": "REMIND"}]
        """);
    SubmissionView submission = submit("Recalled");
    WorkItemView item = item(submission);
    engine.submissions().recall(submission.id(), Optional.empty(), "alice");
    assertThat(rungJobs(item.id())).isZero();
    clock.advance(Duration.ofHours(2));
    engine.runDueJobs();
    assertThat(events(submission, EventKind.WORK_ITEM_REMINDED)).isEmpty();
  }

  @Test
  void rungsDueTogetherFireOnceEachInLadderOrder() {
    deploy(
        "All_At_Once",
        """
        "assignee": {"type": "USER", "userId": "carol"},
        "escalation": [
          {"after": "PT1H", "action": "REMIND"},
          {"after": "PT2H", "action": "REASSIGN", "to": {"type": "USER", "userId": "bob"}},
          {"after": "PT3H", "action": "DECIDE", "decision": "APPROVE"},
          {"after": "PT4H", "action": "REMIND"}]
        """);
    SubmissionView submission = submit("All_At_Once");

    clock.advance(Duration.ofHours(10));
    engine.runDueJobs();
    engine.runDueJobs();

    List<EventKind> kinds =
        engine.events().listAfter(0, Optional.of(submission.runId()), 1000).stream()
            .map(OrchestrationEvent::kind)
            .filter(
                kind ->
                    kind == EventKind.WORK_ITEM_REMINDED
                        || kind == EventKind.WORK_ITEM_ESCALATED
                        || kind == EventKind.WORK_ITEM_DECIDED)
            .toList();
    // The fourth rung finds the item decided: nothing.
    assertThat(kinds)
        .containsExactly(
            EventKind.WORK_ITEM_REMINDED,
            EventKind.WORK_ITEM_ESCALATED,
            EventKind.WORK_ITEM_DECIDED);
    assertThat(item(submission).decidedBy()).contains("automated-process");
  }

  @Test
  void twoNodesRacingForTheSameRungsFireEachOnce() throws Exception {
    deploy(
        "Raced_Ladder",
        """
        "assignee": {"type": "USER", "userId": "carol"},
        "escalation": [
          {"after": "PT1H", "action": "REMIND"},
          {"after": "PT2H", "action": "REASSIGN", "to": {"type": "USER", "userId": "bob"}},
          {"after": "PT3H", "action": "REMIND"},
          {"after": "PT4H", "action": "DECIDE", "decision": "APPROVE"}]
        """);
    int submissions = 8;
    List<SubmissionView> submitted = new ArrayList<>();
    for (int i = 0; i < submissions; i++) {
      submitted.add(submit("Raced_Ladder"));
    }
    DataSource second = secondNodeDataSource(database);
    try (OrchestrionEngine nodeB =
        OrchestrionEngine.create(EngineHarness.config(database, false), second, clock, List.of())
            .start()) {
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try {
        // First rung by rung, then (for the later submissions' view) several due at once.
        for (Duration step :
            List.of(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(5))) {
          clock.advance(step);
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Integer>> runs = new ArrayList<>();
          for (OrchestrionEngine node : List.of(engine, nodeB)) {
            runs.add(
                threads.submit(
                    () -> {
                      go.await();
                      return node.runDueJobs();
                    }));
          }
          go.countDown();
          for (Future<Integer> run : runs) {
            run.get(60, TimeUnit.SECONDS);
          }
        }
      } finally {
        threads.shutdownNow();
      }
    } finally {
      if (second != database.dataSource() && second instanceof HikariDataSource pool) {
        pool.close();
      }
    }
    engine.runDueJobs();
    for (SubmissionView submission : submitted) {
      assertThat(events(submission, EventKind.WORK_ITEM_REMINDED))
          .extracting(event -> event.payload().get("rung"))
          .containsExactly(1, 3);
      assertThat(events(submission, EventKind.WORK_ITEM_ESCALATED)).hasSize(1);
      assertThat(events(submission, EventKind.WORK_ITEM_DECIDED)).hasSize(1);
      SubmissionView done = engine.submissions().get(submission.id());
      assertThat(done.status()).isEqualTo(SubmissionStatus.APPROVED);
      assertThat(done.history())
          .extracting(AuditEntryView::action)
          .containsExactly("SUBMIT", "ESCALATE", "REVIEW");
      assertThat(rungJobs(item(submission).id())).isZero();
    }
  }

  // ---- Business due dates ----

  @Test
  void dueInCountsWorkingHoursOverAHolidayAndAWeekend() {
    deploy(
        "Due_In_Hours",
        """
        "assignee": {"type": "USER", "userId": "carol"}, "calendar": "Berlin-Office",
        "dueIn": "PT20H"
        """);
    SubmissionView submission = submit("Due_In_Hours");
    // Wednesday 10:30–17:00 (6.5 h), Thursday 09:00–17:00 (8 h), Friday a holiday, the weekend,
    // Monday 09:00–14:30 (5.5 h): Monday 14:30 Berlin, 13:30 UTC.
    Instant due = Instant.parse("2025-01-20T13:30:00Z");
    assertThat(item(submission).dueAt()).contains(due);

    clock.set(due.minusSeconds(1));
    engine.runDueJobs();
    assertThat(events(submission, EventKind.OVERDUE)).isEmpty();
    clock.set(due);
    engine.runDueJobs();
    assertThat(events(submission, EventKind.OVERDUE)).hasSize(1);
  }

  @Test
  void aChangedCalendarCountsForItemsCreatedAfterTheChange() {
    deploy(
        "Due_In_Days",
        """
        "assignee": {"type": "USER", "userId": "carol"}, "calendar": "Berlin-Office",
        "dueIn": "P1D"
        """);
    // Wednesday 10:30 + 1 working day: Thursday 10:30.
    assertThat(item(submit("Due_In_Days")).dueAt()).contains(Instant.parse("2025-01-16T09:30:00Z"));
    engine
        .calendars()
        .put(
            "Berlin-Office",
            new BusinessCalendar(
                "Berlin-Office",
                "Europe/Berlin",
                null,
                LocalTime.of(9, 0),
                LocalTime.of(17, 0),
                List.of(LocalDate.parse("2025-01-16"), LocalDate.parse("2025-01-17"))));
    // Thursday and Friday off now: Monday 10:30.
    assertThat(item(submit("Due_In_Days")).dueAt()).contains(Instant.parse("2025-01-20T09:30:00Z"));
  }

  // ---- Deploy checks and the calendar service ----

  @Test
  void deployChecksNameEveryFaultyPath() {
    assertThatThrownBy(
            () ->
                deploy(
                    "Faulty",
                    """
                    "assignee": {"type": "USER", "userId": "carol"}, "calendar": "Nowhere",
                    "dueIn": "P1DT-2H",
                    "escalation": [
                      {"after": "PT4H", "action": "REMIND", "decision": "APPROVE"},
                      {"after": "PT2H", "action": "REASSIGN"},
                      {"after": "-PT1H", "action": "DECIDE"},
                      {"after": "PT0S", "action": "REASSIGN",
                       "to": {"type": "SUBMITTER_MANAGER"}},
                      {"after": "P9D", "action": "DECIDE", "decision": "MAYBE",
                       "to": {"type": "USER", "userId": "bob"}}]
                    """))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getProblems())
                    .extracting(Problem::path)
                    .containsExactlyInAnyOrder(
                        "$.stages[0].steps[0].calendar",
                        "$.stages[0].steps[0].dueIn",
                        "$.stages[0].steps[0].escalation[0].decision",
                        "$.stages[0].steps[0].escalation[1].after",
                        "$.stages[0].steps[0].escalation[1].to",
                        "$.stages[0].steps[0].escalation[2].after",
                        "$.stages[0].steps[0].escalation[2].decision",
                        "$.stages[0].steps[0].escalation[3].after",
                        "$.stages[0].steps[0].escalation[3].to.type",
                        "$.stages[0].steps[0].escalation[4].to",
                        "$.stages[0].steps[0].escalation[4].decision"));
  }

  @Test
  void calendarsAreListedReplacedAndDeletedUnlessInUse() {
    assertThat(engine.calendars().list())
        .extracting(BusinessCalendar::name)
        .containsExactly("Berlin-Office");
    assertThat(engine.calendars().get("Berlin-Office")).isEqualTo(office());
    BusinessCalendar spare =
        new BusinessCalendar(
            "Spare",
            "UTC",
            List.of(java.time.DayOfWeek.SATURDAY),
            LocalTime.of(8, 0),
            LocalTime.of(12, 0),
            List.of());
    assertThat(engine.calendars().put("Spare", spare).created()).isTrue();
    assertThat(engine.calendars().put("Spare", spare).created()).isFalse();
    assertThat(engine.calendars().list())
        .extracting(BusinessCalendar::name)
        .containsExactly("Berlin-Office", "Spare");

    deploy(
        "Uses_Office",
        """
        "assignee": {"type": "USER", "userId": "carol"}, "calendar": "Berlin-Office",
        "dueIn": "P1D"
        """);
    assertThatThrownBy(() -> engine.calendars().delete("Berlin-Office"))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.CONFLICT.toErrorCode()))
        .hasMessageContaining("Uses_Office")
        .hasMessageContaining("$.stages[0].steps[0].calendar");
    engine.calendars().delete("Spare");
    assertThat(engine.calendars().list())
        .extracting(BusinessCalendar::name)
        .containsExactly("Berlin-Office");
    assertThatThrownBy(() -> engine.calendars().delete("Spare"))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.NOT_FOUND.toErrorCode()));

    assertThatThrownBy(
            () ->
                engine
                    .calendars()
                    .put(
                        "Broken",
                        new BusinessCalendar(
                            "Other",
                            "Mars/Base",
                            List.of(),
                            LocalTime.of(17, 0),
                            LocalTime.of(9, 0),
                            List.of())))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getProblems())
                    .extracting(Problem::path)
                    .containsExactly("$.name", "$.timeZone", "$.workingDays", "$.workEnd"));
  }

  // ---- Helpers ----

  private void deploy(String apiName, String stepProperties) {
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "%s", "objectType": "Expense", "stages": [{"name": "S", "steps": [
                  {"name": "Review", "kind": "APPROVAL", %s}]}]}
                """
                    .formatted(apiName, stepProperties)),
            true);
  }

  private SubmissionView submit(String orchestration) {
    SubmissionView submission =
        EngineHarness.submitExpense(engine, orchestration, "alice", "Trip", "120");
    engine.runDueJobs();
    return submission;
  }

  private WorkItemView item(SubmissionView submission) {
    return engine.workItems().ofRun(submission.runId()).stream()
        .filter(item -> item.stepName().equals("Review"))
        .findFirst()
        .orElseThrow();
  }

  /** Moves the clock to {@code instant} and runs what is due. */
  private void at(String instant) {
    clock.set(Instant.parse(instant));
    engine.runDueJobs();
  }

  private List<OrchestrationEvent> events(SubmissionView submission, EventKind kind) {
    return engine.events().listAfter(0, Optional.of(submission.runId()), 1000).stream()
        .filter(event -> event.kind() == kind)
        .toList();
  }

  /** The item's pending escalation jobs, straight from the jobs table. */
  private int rungJobs(String workItemId) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM jobs WHERE work_item_id = ? AND kind = 'ESCALATION'")) {
      statement.setString(1, workItemId);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}

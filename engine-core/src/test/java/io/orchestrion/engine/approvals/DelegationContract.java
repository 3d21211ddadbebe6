package io.orchestrion.engine.approvals;

import static io.orchestrion.engine.testing.EngineHarness.fixture;
import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Injector;
import com.google.inject.util.Modules;
import io.orchestrion.api.ErrorType;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.AllowedActions;
import io.orchestrion.engine.DelegationService;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.engine.EngineModule;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.AuditEntryView;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.Delegation;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestingClock;
import io.orchestrion.flow.FlowRuntimeModule;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delegation and out-of-office, and cross-step distinct approvers (issue #15) through a real engine
 * on a real database, with a testing clock for delegation windows. alice submits; bob (her manager)
 * and carol approve the two steps; fiona works the Finance queue; dave and erin are delegates; ada
 * is an approval admin; uma manages users.
 */
abstract class DelegationContract {
  private static final Instant START = TestingClock.DEFAULT_START;
  private static final String TWO_STEPS =
      """
      {"apiName": "%s", "objectType": "Expense", "distinctApprovers": %s, "stages": [
        {"name": "Review", "steps": [
          {"name": "Manager_Approval", "kind": "APPROVAL",
           "assignee": {"type": "USER", "userId": "bob"}, "onReject": "CONTINUE"},
          {"name": "Director_Approval", "kind": "APPROVAL",
           "assignee": {"type": "USER", "userId": "carol"}, "onReject": "CONTINUE"},
          {"name": "Finance_Approval", "kind": "APPROVAL",
           "assignee": {"type": "QUEUE", "queue": "Finance"}, "onReject": "CONTINUE"}]}]}
      """;
  private static final String SELF_REVIEW =
      """
      {"apiName": "Self_Review", "objectType": "Expense", "stages": [
        {"name": "Review", "steps": [
          {"name": "Own_Approval", "kind": "APPROVAL",
           "assignee": {"type": "USER", "userId": "alice"}}]}]}
      """;

  private final TestingClock clock = new TestingClock(START);
  private TestDatabase database;
  private OrchestrionEngine engine;
  private AllowedActions allowedActions;
  private DelegationService delegations;

  protected abstract TestDatabase createDatabase();

  @BeforeEach
  void setUp() {
    database = createDatabase();
    Injector injector =
        OrchestrionEngine.injector(
            List.of(
                Modules.combine(
                    new FlowRuntimeModule(EngineHarness.config(database, false).flowLimits()),
                    new EngineModule(
                        EngineHarness.config(database, false), database.dataSource(), clock))));
    engine = injector.getInstance(OrchestrionEngine.class);
    allowedActions = injector.getInstance(AllowedActions.class);
    engine.start();
    delegations = engine.delegations();
    engine
        .objectTypes()
        .define(EngineHarness.read(fixture("expense.object.json"), ObjectTypeDefinition.class));
    definePeople(engine.directory());
    engine.orchestrations().deploy(orchestration(TWO_STEPS.formatted("Two_Steps", false)), true);
    engine.orchestrations().deploy(orchestration(TWO_STEPS.formatted("Distinct", true)), true);
    engine.orchestrations().deploy(orchestration(SELF_REVIEW), true);
  }

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
    database.close();
  }

  // ---- Delegation windows ----

  @Test
  void aDelegateDecidesOnlyWithinTheWindow() {
    delegations.set(
        "bob",
        "dave",
        Optional.of(START.plus(Duration.ofHours(1))),
        Optional.of(START.plus(Duration.ofHours(2))),
        "bob");
    SubmissionView submission = submit("Two_Steps");
    WorkItemView item = itemOf(submission, "Manager_Approval");

    // Before the window.
    assertThat(delegations.get("bob", "bob").orElseThrow().active()).isFalse();
    assertThat(inbox("dave")).isEmpty();
    assertThat(actions("dave", item)).isEmpty();
    assertRefused(() -> decide(item, "dave"), "assigned to USER bob");
    assertRefused(
        () -> engine.runAudience().requireVisibleRun(submission.runId(), "dave"),
        "may not see run");

    // Within it: the delegate's inbox lists the item on bob's behalf, and DECIDE is offered.
    clock.advance(Duration.ofHours(1));
    assertThat(delegations.get("bob", "bob").orElseThrow().active()).isTrue();
    assertThat(inbox("dave"))
        .singleElement()
        .satisfies(
            seen -> {
              assertThat(seen.id()).isEqualTo(item.id());
              assertThat(seen.onBehalfOf()).contains("bob");
            });
    assertThat(inbox("bob")).extracting(WorkItemView::onBehalfOf).containsOnly(Optional.empty());
    assertThat(engine.workItems().get(item.id(), "dave").onBehalfOf()).contains("bob");
    assertThat(actions("dave", item)).containsExactly(AllowedActions.Action.DECIDE);
    engine.runAudience().requireVisibleSubmission(submission.id(), "dave");

    // After it (until is exclusive).
    clock.advance(Duration.ofHours(1));
    assertThat(delegations.get("bob", "bob").orElseThrow().active()).isFalse();
    assertThat(inbox("dave")).isEmpty();
    assertThat(actions("dave", item)).isEmpty();
    assertRefused(() -> decide(item, "dave"), "assigned to USER bob");
    assertRefused(() -> engine.workItems().get(item.id(), "dave"), "visible to its assignees");
    assertRefused(
        () -> engine.runAudience().requireVisibleRun(submission.runId(), "dave"),
        "may not see run");
    decide(item, "bob");
  }

  @Test
  void theDecisionRecordsTheDelegateAndTheUserOnWhoseBehalfTheyDecided() {
    delegations.set("bob", "dave", Optional.empty(), Optional.empty(), "bob");
    SubmissionView submission = submit("Two_Steps");
    WorkItemView item = itemOf(submission, "Manager_Approval");

    WorkItemView decided =
        engine.workItems().decide(item.id(), Decision.APPROVE, Optional.of("ok for bob"), "dave");

    assertThat(decided.status()).isEqualTo(WorkItemStatus.APPROVED);
    assertThat(decided.decidedBy()).contains("dave");
    assertThat(decided.decidedOnBehalfOf()).contains("bob");
    assertThat(engine.workItems().get(item.id(), "bob").decidedOnBehalfOf()).contains("bob");
    AuditEntryView review =
        engine.submissions().get(submission.id()).history().stream()
            .filter(entry -> entry.action().equals("REVIEW"))
            .findFirst()
            .orElseThrow();
    assertThat(review.performerId()).isEqualTo("dave");
    assertThat(review.performerRole()).isEqualTo("DELEGATE");
    assertThat(review.comments()).contains("APPROVE on behalf of bob: ok for bob");
    OrchestrationEvent event =
        engine.events().listAfter(0, Optional.of(submission.runId()), 1000).stream()
            .filter(e -> e.kind() == EventKind.WORK_ITEM_DECIDED)
            .findFirst()
            .orElseThrow();
    assertThat(event.actorId()).contains("dave");
    assertThat(event.payload())
        .containsEntry("workItemId", item.id())
        .containsEntry("decision", "APPROVE")
        .containsEntry("onBehalfOf", "bob");
  }

  @Test
  void changingOrEndingADelegationAffectsOpenItemsAtOnce() {
    delegations.set("bob", "dave", Optional.empty(), Optional.empty(), "bob");
    SubmissionView submission = submit("Two_Steps");
    WorkItemView item = itemOf(submission, "Manager_Approval");
    assertThat(inbox("dave")).extracting(WorkItemView::id).containsExactly(item.id());

    delegations.set("bob", "erin", Optional.empty(), Optional.empty(), "uma");
    assertThat(inbox("dave")).isEmpty();
    assertRefused(() -> decide(item, "dave"), "assigned to USER bob");
    assertThat(inbox("erin")).extracting(WorkItemView::id).containsExactly(item.id());
    assertThat(actions("erin", item)).containsExactly(AllowedActions.Action.DECIDE);

    delegations.end("bob", "bob");
    assertThat(delegations.get("bob", "bob")).isEmpty();
    assertThat(inbox("erin")).isEmpty();
    assertThat(actions("erin", item)).isEmpty();
    assertRefused(() -> decide(item, "erin"), "assigned to USER bob");

    // A window set later opens on the open item when the clock gets there.
    delegations.set(
        "bob", "erin", Optional.of(START.plus(Duration.ofDays(1))), Optional.empty(), "bob");
    assertRefused(() -> decide(item, "erin"), "assigned to USER bob");
    clock.advance(Duration.ofDays(1));
    assertThat(decide(item, "erin").decidedOnBehalfOf()).contains("bob");
  }

  @Test
  void anInactiveDelegateDecidesNothing() {
    delegations.set("bob", "dave", Optional.empty(), Optional.empty(), "bob");
    SubmissionView submission = submit("Two_Steps");
    WorkItemView item = itemOf(submission, "Manager_Approval");
    engine.directory().saveUser(User.of("dave", "Dave").withActive(false));

    assertThat(delegations.get("bob", "uma").orElseThrow().active()).isFalse();
    assertRefused(() -> decide(item, "dave"), "assigned to USER bob");
  }

  @Test
  void thereAreNoChainsAndGroupAndQueueItemsAreNotDelegated() {
    delegations.set("bob", "dave", Optional.empty(), Optional.empty(), "bob");
    delegations.set("dave", "erin", Optional.empty(), Optional.empty(), "dave");
    delegations.set("fiona", "erin", Optional.empty(), Optional.empty(), "fiona");
    SubmissionView submission = submit("Two_Steps");
    WorkItemView manager = itemOf(submission, "Manager_Approval");
    WorkItemView finance = itemOf(submission, "Finance_Approval");

    assertThat(inbox("erin")).isEmpty();
    assertRefused(() -> decide(manager, "erin"), "assigned to USER bob");
    assertThat(actions("erin", finance)).isEmpty();
    assertRefused(() -> decide(finance, "erin"), "assigned to QUEUE Finance");
    assertThat(inbox("dave")).extracting(WorkItemView::id).containsExactly(manager.id());
  }

  // ---- Separation of duties ----

  @Test
  void aDelegateWhoSubmittedTheRecordMayNotDecideIt() {
    delegations.set("bob", "alice", Optional.empty(), Optional.empty(), "bob");
    SubmissionView submission = submit("Two_Steps");
    WorkItemView item = itemOf(submission, "Manager_Approval");

    assertThat(inbox("alice")).extracting(WorkItemView::id).containsExactly(item.id());
    assertThat(actions("alice", item)).isEmpty();
    assertRefused(() -> decide(item, "alice"), "user 'alice' submitted this record");
  }

  @Test
  void aDelegateMayNotDecideOnBehalfOfTheSubmitter() {
    delegations.set("alice", "dave", Optional.empty(), Optional.empty(), "alice");
    SubmissionView submission = submit("Self_Review");
    WorkItemView item = itemOf(submission, "Own_Approval");

    assertThat(actions("dave", item)).isEmpty();
    assertRefused(
        () -> decide(item, "dave"),
        "user 'dave' may not decide work item '"
            + item.id()
            + "' on behalf of 'alice', who submitted this record");
    assertRefused(() -> decide(item, "alice"), "user 'alice' submitted this record");
  }

  // ---- Distinct approvers ----

  @Test
  void withDistinctApproversNobodyDecidesTwoStepsEvenAsADelegate() {
    delegations.set("carol", "bob", Optional.empty(), Optional.empty(), "carol");
    SubmissionView submission = submit("Distinct");
    WorkItemView manager = itemOf(submission, "Manager_Approval");
    WorkItemView director = itemOf(submission, "Director_Approval");
    assertThat(actions("bob", director)).containsExactly(AllowedActions.Action.DECIDE);

    decide(manager, "bob");

    assertThat(actions("bob", director)).isEmpty();
    assertRefused(
        () -> decide(director, "bob"),
        "user 'bob' may not decide work item '"
            + director.id()
            + "' of step 'Director_Approval': the orchestration requires distinct approvers"
            + " (distinctApprovers), and step 'Manager_Approval' was already decided by 'bob'"
            + " (work item '"
            + manager.id()
            + "' at "
            + START
            + ")");
    // carol herself may still decide her step.
    assertThat(actions("carol", director)).contains(AllowedActions.Action.DECIDE);
    decide(director, "carol");
  }

  @Test
  void withDistinctApproversTheUserOnWhoseBehalfADelegateDecidedCountsToo() {
    delegations.set("bob", "dave", Optional.empty(), Optional.empty(), "bob");
    delegations.set("carol", "bob", Optional.empty(), Optional.empty(), "carol");
    SubmissionView submission = submit("Distinct");
    WorkItemView manager = itemOf(submission, "Manager_Approval");
    WorkItemView director = itemOf(submission, "Director_Approval");

    decide(manager, "dave");

    // bob, on whose behalf dave decided, may not decide carol's step as her delegate ...
    assertRefused(
        () -> decide(director, "bob"),
        "step 'Manager_Approval' was already decided by 'dave' on behalf of 'bob' (work item '"
            + manager.id()
            + "'");
    // ... and dave may not decide another step either (as an approval admin, say).
    engine.directory().assign("dave", "approval-admins");
    assertThat(actions("dave", director)).containsExactly(AllowedActions.Action.REASSIGN);
    assertRefused(() -> decide(director, "dave"), "already decided by 'dave' on behalf of 'bob'");
    decide(director, "carol");
  }

  @Test
  void ofTwoConcurrentDecisionsOfOnePersonOnTwoStepsExactlyOnePasses() throws Exception {
    delegations.set("carol", "bob", Optional.empty(), Optional.empty(), "carol");
    for (int round = 0; round < 3; round++) {
      SubmissionView submission = submit("Distinct");
      List<WorkItemView> items =
          List.of(itemOf(submission, "Manager_Approval"), itemOf(submission, "Director_Approval"));
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<String>> outcomes = new ArrayList<>();
        for (WorkItemView item : items) {
          outcomes.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      decide(item, "bob");
                      return "decided";
                    } catch (OrchestrionException e) {
                      return e.getErrorCode().type() + ": " + e.getMessage();
                    }
                  }));
        }
        start.countDown();
        List<String> results = new ArrayList<>();
        for (Future<String> outcome : outcomes) {
          results.add(outcome.get(30, TimeUnit.SECONDS));
        }
        assertThat(results).filteredOn("decided"::equals).hasSize(1);
        assertThat(results)
            .filteredOn(result -> !result.equals("decided"))
            .singleElement()
            .asString()
            .startsWith("PERMISSION_DENIED")
            .contains("requires distinct approvers");
      } finally {
        pool.shutdownNow();
      }
      assertThat(engine.workItems().ofRun(submission.runId()))
          .filteredOn(item -> item.decidedBy().isPresent())
          .hasSize(1);
    }
  }

  @Test
  void approvalAdminsAreNotExemptFromDistinctApprovers() {
    SubmissionView submission = submit("Distinct");
    WorkItemView manager = itemOf(submission, "Manager_Approval");
    WorkItemView finance = itemOf(submission, "Finance_Approval");
    decide(manager, "ada");

    assertThat(actions("ada", finance)).containsExactly(AllowedActions.Action.REASSIGN);
    assertRefused(() -> decide(finance, "ada"), "already decided by 'ada'");
    decide(finance, "fiona");
  }

  @Test
  void withoutDistinctApproversOnePersonMayDecideSeveralSteps() {
    delegations.set("carol", "bob", Optional.empty(), Optional.empty(), "carol");
    SubmissionView submission = submit("Two_Steps");
    decide(itemOf(submission, "Manager_Approval"), "bob");

    WorkItemView director = decide(itemOf(submission, "Director_Approval"), "bob");

    assertThat(director.decidedOnBehalfOf()).contains("carol");
  }

  // ---- Setting delegations ----

  @Test
  void usersSetTheirOwnDelegateAndUserManagersAnyones() {
    Delegation own =
        delegations.set("bob", "dave", Optional.empty(), Optional.empty(), "bob").delegation();
    assertThat(own.setBy()).isEqualTo("bob");
    assertThat(own.active()).isTrue();
    assertThat(own.updatedAt()).isEqualTo(START);

    Delegation replaced =
        delegations
            .set("bob", "erin", Optional.empty(), Optional.of(START.plusSeconds(60)), "uma")
            .delegation();
    assertThat(replaced.setBy()).isEqualTo("uma");
    assertThat(delegations.get("bob", "uma").orElseThrow().delegateId()).isEqualTo("erin");
    assertThat(delegations.get("bob", "uma").orElseThrow().until()).contains(START.plusSeconds(60));

    assertRefused(
        () -> delegations.set("bob", "carol", Optional.empty(), Optional.empty(), "carol"),
        "user 'carol' may not set the delegate of user 'bob'");
    assertRefused(() -> delegations.get("bob", "carol"), "MANAGE_USERS");
    assertRefused(() -> delegations.end("bob", "carol"), "MANAGE_USERS");
    assertThat(delegations.get("bob", "bob").orElseThrow().delegateId()).isEqualTo("erin");

    delegations.end("bob", "uma");
    assertThat(delegations.get("bob", "bob")).isEmpty();
    assertType(() -> delegations.end("bob", "bob"), ErrorType.NOT_FOUND);
    assertType(() -> delegations.get("nobody", "uma"), ErrorType.NOT_FOUND);
  }

  @Test
  void settingTellsWhetherItCreatedTheDelegationInItsOneTransaction() {
    assertThat(delegations.set("bob", "dave", Optional.empty(), Optional.empty(), "bob").created())
        .isTrue();
    assertThat(delegations.set("bob", "erin", Optional.empty(), Optional.empty(), "bob").created())
        .isFalse();
    delegations.end("bob", "uma");
    assertThat(delegations.set("bob", "erin", Optional.empty(), Optional.empty(), "uma").created())
        .isTrue();

    // The first checks of set, for a host that refuses before reading a request.
    delegations.requireMaySet("bob", "bob");
    delegations.requireMaySet("bob", "uma");
    assertRefused(
        () -> delegations.requireMaySet("bob", "carol"),
        "user 'carol' may not set the delegate of user 'bob'");
    assertType(() -> delegations.requireMaySet("nobody", "uma"), ErrorType.NOT_FOUND);
  }

  @Test
  void badDelegationsAreRefusedNamingTheField() {
    engine.directory().saveUser(User.of("gone", "Gone").withActive(false));
    assertProblem(
        () -> delegations.set("bob", "bob", Optional.empty(), Optional.empty(), "bob"),
        "$.delegateId",
        "cannot be their own delegate");
    assertProblem(
        () -> delegations.set("bob", "nobody", Optional.empty(), Optional.empty(), "bob"),
        "$.delegateId",
        "user 'nobody' does not exist");
    assertProblem(
        () -> delegations.set("bob", "gone", Optional.empty(), Optional.empty(), "bob"),
        "$.delegateId",
        "user 'gone' is not active");
    assertProblem(
        () -> delegations.set("bob", " ", Optional.empty(), Optional.empty(), "bob"),
        "$.delegateId",
        "must not be blank");
    assertProblem(
        () ->
            delegations.set("bob", "automated-process", Optional.empty(), Optional.empty(), "bob"),
        "$.delegateId",
        "automated process user");
    assertProblem(
        () ->
            delegations.set(
                "bob",
                "dave",
                Optional.of(START.plusSeconds(60)),
                Optional.of(START.plusSeconds(60)),
                "bob"),
        "$.until",
        "must be after from");
    assertProblem(
        () -> delegations.set("bob", "dave", Optional.empty(), Optional.of(START), "bob"),
        "$.until",
        "is not in the future");
    assertThat(delegations.get("bob", "bob")).isEmpty();
  }

  // ---- Helpers ----

  private static void definePeople(DirectoryService directory) {
    directory.saveUser(User.of("bob", "Bob (manager)"));
    directory.saveUser(User.of("alice", "Alice (submitter)").withManager("bob"));
    for (String[] user :
        new String[][] {
          {"carol", "Carol (director)"},
          {"fiona", "Fiona (finance)"},
          {"dave", "Dave (delegate)"},
          {"erin", "Erin (delegate)"},
          {"ada", "Ada (admin)"},
          {"uma", "Uma (user manager)"}
        }) {
      directory.saveUser(User.of(user[0], user[1]));
    }
    directory.saveQueue(
        new Queue("Finance", "Finance", List.of(GroupMember.user("fiona")), List.of("Expense")));
    directory.savePermissionSet(
        EngineHarness.systemPermissionSet("approval-admins", SystemPermission.APPROVAL_ADMIN));
    directory.savePermissionSet(
        EngineHarness.systemPermissionSet("user-managers", SystemPermission.MANAGE_USERS));
    directory.assign("ada", "approval-admins");
    directory.assign("uma", "user-managers");
  }

  private SubmissionView submit(String orchestration) {
    return EngineHarness.submitExpense(engine, orchestration, "alice", "Conference", "120");
  }

  private WorkItemView itemOf(SubmissionView submission, String step) {
    return engine.workItems().ofRun(submission.runId()).stream()
        .filter(item -> item.stepName().equals(step))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no work item of " + step));
  }

  private List<WorkItemView> inbox(String userId) {
    return engine.workItems().inbox(userId, WorkItemStatus.ASSIGNED, Optional.empty(), 50).items();
  }

  private List<AllowedActions.Action> actions(String userId, WorkItemView item) {
    return allowedActions.forUser(userId).on(engine.workItems().get(item.id(), "ada"));
  }

  private WorkItemView decide(WorkItemView item, String userId) {
    return engine.workItems().decide(item.id(), Decision.APPROVE, Optional.empty(), userId);
  }

  private static void assertRefused(Runnable action, String message) {
    assertThatThrownBy(action::run)
        .satisfies(e -> assertThat(e).isInstanceOf(OrchestrionException.class))
        .satisfies(
            e ->
                assertThat(((OrchestrionException) e).getErrorCode().type())
                    .isEqualTo(ErrorType.PERMISSION_DENIED))
        .hasMessageContaining(message);
  }

  private static void assertType(Runnable action, ErrorType type) {
    assertThatThrownBy(action::run)
        .satisfies(
            e -> assertThat(((OrchestrionException) e).getErrorCode().type()).isEqualTo(type));
  }

  private static void assertProblem(Runnable action, String path, String message) {
    assertThatThrownBy(action::run)
        .isInstanceOf(OrchestrionException.class)
        .satisfies(
            e -> {
              OrchestrionException error = (OrchestrionException) e;
              assertThat(error.getErrorCode().type()).isEqualTo(ErrorType.USER_ERROR);
              assertThat(error.getProblems())
                  .anySatisfy(
                      problem -> {
                        assertThat(problem.path()).isEqualTo(path);
                        assertThat(problem.message()).contains(message);
                      });
            });
  }
}

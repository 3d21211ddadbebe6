package io.orchestrion.engine.approvals;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.orchestrion.api.ErrorType;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.RunExplanation;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.Role;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several approvers per step, decision policies, veto and manager chains (docs/orchestrations.md,
 * "Several approvers and decision policies", "Approval chains") through a real engine on a real
 * database. alice submits; her chain is bob → carl (Director) → dana (VP); carol and gus are the
 * Reviewers group, fiona the Finance queue, cfo a user with a veto.
 */
abstract class DecisionPoliciesContract {
  private static final String BOB = "{\"type\": \"USER\", \"userId\": \"bob\"}";
  private static final String CFO = "{\"type\": \"USER\", \"userId\": \"cfo\"}";
  private static final String REVIEWERS = "{\"type\": \"GROUP\", \"group\": \"Reviewers\"}";
  private static final String FINANCE = "{\"type\": \"QUEUE\", \"queue\": \"Finance\"}";

  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;

  protected abstract TestDatabase createDatabase();

  @BeforeEach
  void setUp() {
    database = createDatabase();
    harness = EngineHarness.start(database, EngineHarness.config(database, false));
    engine = harness.engine();
    harness.defineExpense();
    definePeople(engine.directory());
  }

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
    database.close();
  }

  // ---- Policies ----

  @Test
  void theFirstResponseSettlesAndCancelsTheOtherItems() {
    deploy("First", List.of(BOB, REVIEWERS, FINANCE), null);
    SubmissionView submission = submit("First");
    List<WorkItemView> items = items(submission);
    assertThat(items)
        .extracting(WorkItemView::assigneeType, WorkItemView::assigneeId, WorkItemView::status)
        .containsExactly(
            tuple("USER", "bob", WorkItemStatus.ASSIGNED),
            tuple("GROUP", "Reviewers", WorkItemStatus.ASSIGNED),
            tuple("QUEUE", "Finance", WorkItemStatus.ASSIGNED));

    // A group's item is one approver: any member decides it.
    engine.workItems().decide(items.get(1).id(), Decision.APPROVE, Optional.of("ok"), "gus");

    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
    assertThat(statuses(submission))
        .containsExactly(WorkItemStatus.CANCELED, WorkItemStatus.APPROVED, WorkItemStatus.CANCELED);
    Map<String, Object> outputs = outputs(submission);
    assertThat(outputs)
        .containsEntry("approvalDecision", "APPROVE")
        .containsEntry("approvalComments", "ok");
    assertThat(tally(outputs))
        .containsEntry("policy", "FIRST_RESPONSE")
        .containsEntry("approved", 1)
        .containsEntry("pending", 2)
        .containsEntry("settledBy", "FIRST_RESPONSE")
        .containsEntry("settlement", "APPROVED by the first response of 'gus'");
    assertThat(decisions(outputs))
        .extracting(d -> d.get("assignee"), d -> d.get("decidedBy"), d -> d.get("decision"))
        .containsExactly(tuple("GROUP Reviewers", "gus", "APPROVE"));

    assertThatThrownBy(
            () ->
                engine
                    .workItems()
                    .decide(items.get(2).id(), Decision.REJECT, Optional.empty(), "fiona"))
        .satisfies(e -> assertType(e, ErrorType.CONFLICT))
        .hasMessageContaining(
            "step 'Approve' was already settled: APPROVED by the first response of 'gus'");
    List<OrchestrationEvent> canceled =
        engine.events().listAfter(0, Optional.of(submission.runId()), 1000).stream()
            .filter(event -> event.kind() == EventKind.WORK_ITEM_CANCELED)
            .toList();
    assertThat(canceled)
        .extracting(event -> event.payload().get("workItemId"))
        .containsExactlyInAnyOrder(items.get(0).id(), items.get(2).id());
    assertThat(canceled)
        .allSatisfy(e -> assertThat(e.payload()).containsEntry("reason", "STEP_SETTLED"));
  }

  @Test
  void unanimousNeedsEveryApprovalAndTheFirstRejectionRejects() {
    deploy("Unanimous", List.of(BOB, REVIEWERS, FINANCE), "{\"type\": \"UNANIMOUS\"}");
    SubmissionView all = submit("Unanimous");
    List<WorkItemView> items = items(all);
    decide(items.get(0), Decision.APPROVE, "bob");
    decide(items.get(2), Decision.APPROVE, "fiona");
    RunExplanation waiting = engine.runs().explain(all.runId());
    assertThat(waiting.approvals())
        .singleElement()
        .satisfies(
            approval -> {
              assertThat(approval.step()).isEqualTo("Approve");
              assertThat(approval.policy()).isEqualTo("UNANIMOUS");
              assertThat(approval.approved()).isEqualTo(2);
              assertThat(approval.pending()).isEqualTo(1);
              assertThat(approval.stillNeeded())
                  .isEqualTo("1 more approval needed (all 3 must approve)");
              assertThat(approval.waitingFor()).containsExactly("GROUP Reviewers");
              assertThat(approval.decisions())
                  .extracting(d -> d.get("decidedBy"))
                  .containsExactly("bob", "fiona");
            });
    assertThat(engine.submissions().get(all.id()).status()).isEqualTo(SubmissionStatus.IN_PROGRESS);
    decide(items.get(1), Decision.APPROVE, "carol");
    assertThat(engine.submissions().get(all.id()).status()).isEqualTo(SubmissionStatus.APPROVED);
    assertThat(tally(outputs(all)))
        .containsEntry("approved", 3)
        .containsEntry("settlement", "APPROVED unanimously (3 of 3)");

    SubmissionView one = submit("Unanimous");
    List<WorkItemView> second = items(one);
    decide(second.get(0), Decision.APPROVE, "bob");
    decide(second.get(1), Decision.REJECT, "carol");
    assertThat(engine.submissions().get(one.id()).status()).isEqualTo(SubmissionStatus.REJECTED);
    assertThat(statuses(one))
        .containsExactly(WorkItemStatus.APPROVED, WorkItemStatus.REJECTED, WorkItemStatus.CANCELED);
    assertThat(outputs(one)).containsEntry("approvalDecision", "REJECT");
  }

  @Test
  void aQuorumSettlesOnItsLastApprovalOrWhenItCanNoLongerBeReached() {
    deploy("Quorum", List.of(BOB, REVIEWERS, FINANCE), "{\"type\": \"QUORUM\", \"quorum\": 2}");
    SubmissionView approved = submit("Quorum");
    List<WorkItemView> items = items(approved);
    decide(items.get(0), Decision.REJECT, "bob");
    assertThat(engine.submissions().get(approved.id()).status())
        .isEqualTo(SubmissionStatus.IN_PROGRESS);
    decide(items.get(1), Decision.APPROVE, "carol");
    assertThat(engine.runs().explain(approved.runId()).approvals().get(0).stillNeeded())
        .isEqualTo("1 more approval needed (quorum 2 of 3)");
    decide(items.get(2), Decision.APPROVE, "fiona");
    assertThat(engine.submissions().get(approved.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
    assertThat(tally(outputs(approved)))
        .containsEntry("quorum", 2)
        .containsEntry("approved", 2)
        .containsEntry("rejected", 1)
        .containsEntry("pending", 0)
        .containsEntry("settlement", "APPROVED by quorum (2 of 3)");

    SubmissionView rejected = submit("Quorum");
    List<WorkItemView> second = items(rejected);
    decide(second.get(2), Decision.REJECT, "fiona");
    decide(second.get(0), Decision.REJECT, "bob");
    assertThat(engine.submissions().get(rejected.id()).status())
        .isEqualTo(SubmissionStatus.REJECTED);
    assertThatThrownBy(() -> decide(second.get(1), Decision.APPROVE, "carol"))
        .satisfies(e -> assertType(e, ErrorType.CONFLICT))
        .hasMessageContaining(
            "already settled: REJECTED: a quorum of 2 of 3 can no longer be reached");
  }

  @Test
  void aVetoRejectionSettlesWhateverThePolicy() {
    deploy(
        "Veto",
        List.of(BOB, REVIEWERS, CFO),
        "{\"type\": \"QUORUM\", \"quorum\": 1, \"veto\": [" + CFO + "]}");
    SubmissionView submission = submit("Veto");
    List<WorkItemView> items = items(submission);
    assertThat(engine.runs().explain(submission.runId()).approvals().get(0).stillNeeded())
        .isEqualTo("1 more approval needed (quorum 1 of 3); veto: USER cfo");
    decide(items.get(1), Decision.REJECT, "carol");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.IN_PROGRESS);
    decide(items.get(2), Decision.REJECT, "cfo");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.REJECTED);
    assertThat(tally(outputs(submission)))
        .containsEntry("settledBy", "VETO")
        .containsEntry("settlement", "REJECTED by veto of 'cfo'")
        .containsEntry("veto", List.of("USER cfo"));
    assertThat(statuses(submission))
        .containsExactly(WorkItemStatus.CANCELED, WorkItemStatus.REJECTED, WorkItemStatus.REJECTED);
  }

  @Test
  void withContinueARejectedStepLetsTheRunGoOnAndEndRejected() {
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Continue", "objectType": "Expense", "stages": [
                  {"name": "S", "steps": [
                    {"name": "Approve", "kind": "APPROVAL", "onReject": "CONTINUE",
                     "assignees": [%s, %s], "policy": {"type": "UNANIMOUS"}}]},
                  {"name": "T", "steps": [
                    {"name": "Last", "kind": "APPROVAL", "assignee": %s}]}]}
                """
                    .formatted(BOB, FINANCE, CFO)),
            true);
    SubmissionView submission = submit("Continue");
    List<WorkItemView> items = items(submission);
    decide(items.get(1), Decision.REJECT, "fiona");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.IN_PROGRESS);
    WorkItemView last =
        engine.workItems().ofRun(submission.runId()).stream()
            .filter(item -> item.stepName().equals("Last"))
            .findFirst()
            .orElseThrow();
    decide(last, Decision.APPROVE, "cfo");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.REJECTED);
  }

  // ---- Concurrency: the run's lock admits one settling decision ----

  @Test
  void ofConcurrentFirstResponsesExactlyOneSettles() throws Exception {
    deploy("FirstRace", List.of(BOB, REVIEWERS, FINANCE, CFO), null);
    SubmissionView submission = submit("FirstRace");
    List<String> outcomes = decideAtOnce(submission, "bob", "carol", "fiona", "cfo");
    List<String> won = outcomes.stream().filter(o -> o.startsWith("won:")).toList();
    assertThat(won).hasSize(1);
    String winner = won.get(0).substring(4);
    assertThat(outcomes)
        .filteredOn(o -> o.startsWith("lost:"))
        .hasSize(3)
        .allSatisfy(
            lost ->
                assertThat(lost)
                    .contains("already settled: APPROVED by the first response of '" + winner));
    assertSettledOnce(submission, 1);
  }

  @Test
  void ofConcurrentApprovalsExactlyTheQuorumCounts() throws Exception {
    deploy(
        "QuorumRace",
        List.of(BOB, REVIEWERS, FINANCE, CFO),
        "{\"type\": \"QUORUM\", \"quorum\": 2}");
    SubmissionView submission = submit("QuorumRace");
    List<String> outcomes = decideAtOnce(submission, "bob", "carol", "fiona", "cfo");
    assertThat(outcomes).filteredOn(o -> o.startsWith("won:")).hasSize(2);
    assertThat(outcomes)
        .filteredOn(o -> o.startsWith("lost:"))
        .hasSize(2)
        .allSatisfy(lost -> assertThat(lost).contains("APPROVED by quorum (2 of 4)"));
    assertSettledOnce(submission, 2);
    assertThat(tally(outputs(submission))).containsEntry("approved", 2).containsEntry("pending", 2);
  }

  @Test
  void concurrentUnanimousApprovalsAllCountAndSettleOnce() throws Exception {
    deploy("UnanimousRace", List.of(BOB, REVIEWERS, FINANCE, CFO), "{\"type\": \"UNANIMOUS\"}");
    SubmissionView submission = submit("UnanimousRace");
    List<String> outcomes = decideAtOnce(submission, "bob", "carol", "fiona", "cfo");
    assertThat(outcomes).allSatisfy(o -> assertThat(o).startsWith("won:"));
    assertSettledOnce(submission, 4);
    assertThat(tally(outputs(submission))).containsEntry("approved", 4);
  }

  @Test
  void concurrentMixedDecisionsWithAVetoSettleOnceAndEveryLateDeciderHearsTheOutcome()
      throws Exception {
    deploy(
        "MixedRace",
        List.of(BOB, REVIEWERS, FINANCE, CFO),
        "{\"type\": \"QUORUM\", \"quorum\": 2, \"veto\": [" + CFO + "]}");
    SubmissionView submission = submit("MixedRace");
    List<String> outcomes =
        decideAtOnce(
            submission,
            List.of(Decision.APPROVE, Decision.APPROVE, Decision.REJECT, Decision.REJECT),
            "bob",
            "carol",
            "fiona",
            "cfo");
    Map<String, Object> tally = tally(outputs(submission));
    String settlement = (String) tally.get("settlement");
    int won = (int) outcomes.stream().filter(o -> o.startsWith("won:")).count();
    assertThat(outcomes)
        .filteredOn(o -> o.startsWith("lost:"))
        .allSatisfy(lost -> assertThat(lost).contains("already settled: " + settlement));
    SubmissionView done = engine.submissions().get(submission.id());
    // Whichever order the lock admitted them in, the outcome is the policy's for that order.
    if (settlement.startsWith("APPROVED")) {
      assertThat(settlement).isEqualTo("APPROVED by quorum (2 of 4)");
      assertThat(done.status()).isEqualTo(SubmissionStatus.APPROVED);
      assertThat(outcomes).contains("won:bob", "won:carol");
    } else {
      assertThat(settlement).isEqualTo("REJECTED by veto of 'cfo'");
      assertThat(done.status()).isEqualTo(SubmissionStatus.REJECTED);
      assertThat(outcomes).contains("won:cfo");
    }
    assertThat(done.history()).filteredOn(e -> e.action().equals("REVIEW")).hasSize(won);
    assertThat(decisions(outputs(submission))).hasSize(won);
    assertThat(
            ((Number) tally.get("approved")).intValue()
                + ((Number) tally.get("rejected")).intValue())
        .isEqualTo(won);
    assertThat(
            engine.events().listAfter(0, Optional.of(submission.runId()), 1000).stream()
                .filter(e -> e.kind() == EventKind.WORK_ITEM_DECIDED))
        .hasSize(won);
  }

  // ---- Approver resolution ----

  @Test
  void twoApproversResolvingToOnePersonFailTheStep() {
    deploy("Twice", List.of("{\"type\": \"SUBMITTER_MANAGER\"}", BOB), null);
    SubmissionView submission = submit("Twice");
    RunView run = engine.runs().get(submission.runId());
    assertThat(run.status()).isEqualTo(RunStatus.ERROR);
    assertThat(run.error())
        .hasValueSatisfying(
            error ->
                assertThat(error)
                    .contains("approvers 0 and 1 (assignees[0] and assignees[1])")
                    .contains("USER bob"));
    assertThat(engine.workItems().ofRun(submission.runId())).isEmpty();
  }

  @Test
  void anUnresolvableApproverFailsTheStepNamingWhichOne() {
    deploy("Ghost", List.of(BOB, "{\"type\": \"QUEUE\", \"queue\": \"Nope\"}"), null);
    SubmissionView submission = submit("Ghost");
    RunView run = engine.runs().get(submission.runId());
    assertThat(run.status()).isEqualTo(RunStatus.ERROR);
    assertThat(run.error())
        .hasValueSatisfying(
            error -> assertThat(error).contains("approver 1 (assignees[1])").contains("'Nope'"));
  }

  // ---- Manager chains ----

  @Test
  void aChainOfLevelsAssignsEachLevelAfterThePreviousApproved() {
    deployChain("Chain2", "\"levels\": 2");
    SubmissionView submission = submit("Chain2");
    List<WorkItemView> first = items(submission);
    assertThat(first)
        .extracting(WorkItemView::assigneeId, WorkItemView::status)
        .containsExactly(tuple("bob", WorkItemStatus.ASSIGNED));
    RunExplanation.ApprovalExplanation explained =
        engine.runs().explain(submission.runId()).approvals().get(0);
    assertThat(explained.policy()).isEqualTo("MANAGER_CHAIN");
    assertThat(explained.stillNeeded())
        .isEqualTo("level 1 of 2 (USER bob) must approve, then carl");

    decide(first.get(0), Decision.APPROVE, "bob");
    List<WorkItemView> second = items(submission);
    assertThat(second)
        .extracting(WorkItemView::assigneeId, WorkItemView::status)
        .containsExactly(
            tuple("bob", WorkItemStatus.APPROVED), tuple("carl", WorkItemStatus.ASSIGNED));
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.IN_PROGRESS);
    decide(second.get(1), Decision.APPROVE, "carl");

    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
    Map<String, Object> outputs = outputs(submission);
    assertThat(tally(outputs))
        .containsEntry("policy", "MANAGER_CHAIN")
        .containsEntry("levels", 2)
        .containsEntry("approvedLevels", List.of(1, 2))
        .containsEntry("settlement", "APPROVED by the manager chain (2 of 2 levels)");
    assertThat(decisions(outputs))
        .extracting(d -> d.get("level"), d -> d.get("decidedBy"))
        .containsExactly(tuple(1, "bob"), tuple(2, "carl"));
  }

  @Test
  void aRejectionAtAnyLevelRejects() {
    deployChain("ChainReject", "\"levels\": 3");
    SubmissionView submission = submit("ChainReject");
    decide(items(submission).get(0), Decision.APPROVE, "bob");
    decide(items(submission).get(1), Decision.REJECT, "carl");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.REJECTED);
    assertThat(items(submission)).hasSize(2);
    assertThat(tally(outputs(submission)))
        .containsEntry("settlement", "REJECTED at level 2 of the manager chain by 'carl'")
        .containsEntry("approvedLevels", List.of(1));
  }

  @Test
  void aChainUpToARoleStopsAtTheFirstManagerHoldingIt() {
    deployChain("ChainVp", "\"upToRole\": \"VP\"");
    SubmissionView submission = submit("ChainVp");
    decide(items(submission).get(0), Decision.APPROVE, "bob");
    decide(items(submission).get(1), Decision.APPROVE, "carl");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.IN_PROGRESS);
    decide(items(submission).get(2), Decision.APPROVE, "dana");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
    assertThat(items(submission))
        .extracting(WorkItemView::assigneeId)
        .containsExactly("bob", "carl", "dana");
    assertThat(tally(outputs(submission)))
        .containsEntry("upToRole", "VP")
        .containsEntry("chain", List.of("bob", "carl", "dana"));
  }

  @Test
  void aChainThatNeverReachesItsRoleFailsTheStepNamingIt() {
    deployChain("ChainCeo", "\"upToRole\": \"CEO\"");
    SubmissionView submission = submit("ChainCeo");
    RunView run = engine.runs().get(submission.runId());
    assertThat(run.status()).isEqualTo(RunStatus.ERROR);
    assertThat(run.error())
        .hasValueSatisfying(
            error ->
                assertThat(error)
                    .contains("'dana' has no active manager")
                    .contains("before reaching role 'CEO'"));
    assertThat(engine.workItems().ofRun(submission.runId())).isEmpty();
  }

  @Test
  void aChainBrokenMidwayFailsTheStepAndARetryStartsAgainAtLevelOne() {
    deployChain("ChainBroken", "\"levels\": 3");
    SubmissionView submission = submit("ChainBroken");
    engine.directory().saveUser(User.of("carl", "Carl").withManager("dana").withActive(false));
    decide(items(submission).get(0), Decision.APPROVE, "bob");
    RunView failed = engine.runs().get(submission.runId());
    assertThat(failed.status()).isEqualTo(RunStatus.ERROR);
    assertThat(failed.error())
        .hasValueSatisfying(
            error ->
                assertThat(error)
                    .contains("could not assign level 2")
                    .contains(
                        "manager 'carl' at level 2 of the chain of 'alice' is unknown or inactive"));

    engine.directory().saveUser(User.of("carl", "Carl").withRole("Director").withManager("dana"));
    assertThat(engine.runs().retry(submission.runId(), "ron").status())
        .isEqualTo(RunStatus.IN_PROGRESS);
    List<WorkItemView> retried = items(submission);
    assertThat(retried)
        .extracting(WorkItemView::assigneeId, WorkItemView::status)
        .containsExactly(
            tuple("bob", WorkItemStatus.APPROVED), tuple("bob", WorkItemStatus.ASSIGNED));
    decide(retried.get(1), Decision.APPROVE, "bob");
    decide(items(submission).get(2), Decision.APPROVE, "carl");
    decide(items(submission).get(3), Decision.APPROVE, "dana");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
    // The tally counts the retried attempt only.
    assertThat(tally(outputs(submission)))
        .containsEntry("approved", 3)
        .containsEntry("approvedLevels", List.of(1, 2, 3));
  }

  // ---- Helpers ----

  private void deploy(String apiName, List<String> assignees, String policy) {
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "%s", "objectType": "Expense", "stages": [{"name": "S", "steps": [
                  {"name": "Approve", "kind": "APPROVAL", "assignees": [%s]%s}]}]}
                """
                    .formatted(
                        apiName,
                        String.join(", ", assignees),
                        policy == null ? "" : ", \"policy\": " + policy)),
            true);
  }

  private void deployChain(String apiName, String chain) {
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "%s", "objectType": "Expense", "stages": [{"name": "S", "steps": [
                  {"name": "Approve", "kind": "APPROVAL",
                   "assignee": {"type": "MANAGER_CHAIN", %s}}]}]}
                """
                    .formatted(apiName, chain)),
            true);
  }

  private SubmissionView submit(String orchestration) {
    return EngineHarness.submitExpense(engine, orchestration, "alice", "Laptop", "900");
  }

  /** The run's work items in the order they were created (approver order). */
  private List<WorkItemView> items(SubmissionView submission) {
    return engine.workItems().ofRun(submission.runId());
  }

  private List<WorkItemStatus> statuses(SubmissionView submission) {
    return items(submission).stream().map(WorkItemView::status).toList();
  }

  private void decide(WorkItemView item, Decision decision, String user) {
    engine.workItems().decide(item.id(), decision, Optional.empty(), user);
  }

  /** Each user approves their own item at once, from threads released together. */
  private List<String> decideAtOnce(SubmissionView submission, String... users) throws Exception {
    return decideAtOnce(
        submission, java.util.Collections.nCopies(users.length, Decision.APPROVE), users);
  }

  /** Each user decides their own item at once, from threads released together. */
  private List<String> decideAtOnce(
      SubmissionView submission, List<Decision> decisions, String... users) throws Exception {
    List<WorkItemView> items = items(submission);
    assertThat(items).hasSize(users.length);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(users.length);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < users.length; i++) {
        String user = users[i];
        Decision decision = decisions.get(i);
        String itemId = items.get(i).id();
        results.add(
            threads.submit(
                () -> {
                  go.await();
                  try {
                    engine.workItems().decide(itemId, decision, Optional.empty(), user);
                    return "won:" + user;
                  } catch (OrchestrionException e) {
                    assertThat(e.getErrorCode().type()).isEqualTo(ErrorType.CONFLICT);
                    return "lost:" + e.getMessage();
                  }
                }));
      }
      go.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<String> result : results) {
        outcomes.add(result.get());
      }
      return outcomes;
    } finally {
      threads.shutdownNow();
    }
  }

  /** The step completed once, with as many recorded decisions as decisions that were admitted. */
  private void assertSettledOnce(SubmissionView submission, int decisions) {
    SubmissionView done = engine.submissions().get(submission.id());
    assertThat(done.status()).isEqualTo(SubmissionStatus.APPROVED);
    assertThat(done.history()).filteredOn(e -> e.action().equals("REVIEW")).hasSize(decisions);
    assertThat(statuses(submission))
        .filteredOn(status -> status == WorkItemStatus.APPROVED)
        .hasSize(decisions);
    assertThat(statuses(submission))
        .filteredOn(status -> status == WorkItemStatus.CANCELED)
        .hasSize(items(submission).size() - decisions);
    assertThat(decisions(outputs(submission))).hasSize(decisions);
    List<OrchestrationEvent> feed =
        engine.events().listAfter(0, Optional.of(submission.runId()), 1000);
    assertThat(feed).filteredOn(e -> e.kind() == EventKind.WORK_ITEM_DECIDED).hasSize(decisions);
    assertThat(feed).filteredOn(e -> e.kind() == EventKind.RUN_COMPLETED).hasSize(1);
    RunView run = engine.runs().get(submission.runId());
    assertThat(run.stages().get(0).steps().get(0).status()).isEqualTo(StepStatus.COMPLETED);
  }

  private Map<String, Object> outputs(SubmissionView submission) {
    RunView run = engine.runs().get(submission.runId());
    return run.stages().get(0).steps().get(0).outputs();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tally(Map<String, Object> outputs) {
    return (Map<String, Object>) outputs.get("approvalTally");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> decisions(Map<String, Object> outputs) {
    return (List<Map<String, Object>>) outputs.get("approvalDecisions");
  }

  private static void assertType(Throwable e, ErrorType type) {
    assertThat(e).isInstanceOf(OrchestrionException.class);
    assertThat(((OrchestrionException) e).getErrorCode().type()).isEqualTo(type);
  }

  private static void definePeople(DirectoryService directory) {
    directory.saveRole(new Role("VP", "VP", Optional.empty()));
    directory.saveRole(new Role("Director", "Director", Optional.of("VP")));
    directory.saveUser(User.of("dana", "Dana (VP)").withRole("VP"));
    directory.saveUser(User.of("carl", "Carl (director)").withRole("Director").withManager("dana"));
    directory.saveUser(User.of("bob", "Bob (manager)").withManager("carl"));
    directory.saveUser(User.of("alice", "Alice (submitter)").withManager("bob"));
    for (String[] user :
        new String[][] {
          {"carol", "Carol"}, {"gus", "Gus"}, {"fiona", "Fiona (finance)"}, {"cfo", "The CFO"}
        }) {
      directory.saveUser(User.of(user[0], user[1]));
    }
    directory.saveGroup(
        new PublicGroup(
            "Reviewers", "Reviewers", List.of(GroupMember.user("carol"), GroupMember.user("gus"))));
    directory.saveQueue(
        new Queue("Finance", "Finance", List.of(GroupMember.user("fiona")), List.of("Expense")));
    directory.saveUser(User.of("ron", "Ron (operations)"));
    directory.savePermissionSet(
        new PermissionSet(
            "run-managers",
            "run-managers",
            Map.of(),
            Map.of(),
            Set.of(SystemPermission.MANAGE_RUNS)));
    directory.assign("ron", "run-managers");
  }
}

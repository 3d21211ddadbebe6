package io.orchestrion.engine.run;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.AuditEntryView;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.spi.directory.User;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Submit, decide and reassign answer with what their transaction wrote, built from the run
 * aggregate rather than read back (issue #11): each answer equals a fresh read of the same
 * submission or work item, field for field (instants, errors and comments as the database keeps
 * them), whatever the submission's outcome; the idempotent replay reads it and answers the same.
 * One engine for the class, no workers (nothing changes after the answer).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AnswersAsWrittenContract {
  private static final String FIRST_RESPONSE =
      """
      {"apiName": "First_Response", "objectType": "Expense", "stages": [{"name": "Review",
        "steps": [{"name": "Approve", "kind": "APPROVAL", "dueIn": "PT4H",
          "assignees": [{"type": "USER", "userId": "bob"}, {"type": "USER", "userId": "carol"}],
          "policy": {"type": "FIRST_RESPONSE"}}]}]}
      """;
  private static final String UNANIMOUS =
      """
      {"apiName": "Unanimous", "objectType": "Expense", "stages": [{"name": "Review",
        "steps": [{"name": "Approve", "kind": "APPROVAL",
          "assignees": [{"type": "USER", "userId": "bob"}, {"type": "USER", "userId": "carol"}],
          "policy": {"type": "UNANIMOUS"}},
          {"name": "Ladder", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "carol"},
           "escalation": [{"after": "PT1H", "action": "REMIND"}]}]}]}
      """;
  private static final String MARKED =
      """
      {"apiName": "Marked", "objectType": "Expense", "stages": [{"name": "Intake", "steps": [
        {"name": "Mark", "kind": "BACKGROUND", "flow": "Mark_In_Review",
         "inputs": {"recordId": {"ref": "$Record.Id"}}, "start": {"type": "STAGE_STARTS"}}]}]}
      """;
  private static final String FAILING =
      """
      {"apiName": "Failing", "objectType": "Expense", "stages": [{"name": "Intake", "steps": [
        {"name": "Fail", "kind": "BACKGROUND", "flow": "Update_Then_Fail",
         "inputs": {"recordId": {"ref": "$Record.Id"}}, "start": {"type": "STAGE_STARTS"}}]}]}
      """;

  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;

  protected abstract TestDatabaseKind kind();

  @BeforeAll
  void setUp() {
    database = TestDatabases.create(kind());
    harness = EngineHarness.start(database, EngineHarness.config(database, false));
    engine = harness.engine();
    harness.defineExpense();
    harness.activateFlows("flow-mark-in-review.json", "flow-update-then-fail.json");
    for (String user : List.of("alice", "bob", "carol", "dave")) {
      engine.directory().saveUser(User.of(user, user));
    }
    for (String definition : List.of(FIRST_RESPONSE, UNANIMOUS, MARKED, FAILING)) {
      engine.orchestrations().deploy(orchestration(definition), true);
    }
  }

  @AfterAll
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
    database.close();
  }

  @Test
  void aSubmissionAnswersWhatAFreshReadOfItReturns() {
    SubmissionView waiting = submit("First_Response", Optional.of("for the offsite"));
    SubmissionView approved = submit("Marked", Optional.empty());
    SubmissionView failed = submit("Failing", Optional.of("will fail"));

    assertThat(waiting.status()).isEqualTo(SubmissionStatus.IN_PROGRESS);
    assertThat(waiting.history())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.action()).isEqualTo("SUBMIT");
              assertThat(entry.comments()).contains("for the offsite");
              assertThat(entry.at()).isEqualTo(waiting.createdAt());
            });
    assertThat(approved.status()).isEqualTo(SubmissionStatus.APPROVED);
    assertThat(failed.status()).isEqualTo(SubmissionStatus.ERROR);
    assertThat(failed.error()).hasValueSatisfying(error -> assertThat(error).contains("Boom"));
    for (SubmissionView answer : List.of(waiting, approved, failed)) {
      assertThat(answer).isEqualTo(engine.submissions().get(answer.id()));
    }
  }

  @Test
  void aRecallAnswersItsOwnHistoryEntryAsAFreshReadDoes() {
    SubmissionView waiting = submit("First_Response", Optional.of("to recall"));

    // The recall's audit entry is gathered for the commit; the answer reads the history in the
    // same transaction, which has the gathered entries written first.
    SubmissionView recalled =
        engine.submissions().recall(waiting.id(), Optional.of("changed my mind"), "alice");

    assertThat(recalled.history())
        .extracting(entry -> entry.action())
        .containsExactly("SUBMIT", "RECALL");
    assertThat(recalled.history().getLast().comments()).contains("changed my mind");
    assertThat(recalled).isEqualTo(engine.submissions().get(waiting.id()));
  }

  @Test
  void aKeyedSubmissionAnswersTheSameTheFirstTimeAndWhenReplayed() {
    RecordData record = expense();
    SubmitRequest request =
        new SubmitRequest("Expense", record.id().orElseThrow(), "Unanimous", Optional.of("keyed"));

    SubmissionView first = engine.submissions().submit(request, "alice", Optional.of("rb-key-1"));
    SubmissionView replayed =
        engine.submissions().submit(request, "alice", Optional.of("rb-key-1"));

    assertThat(replayed).isEqualTo(first);
    assertThat(first).isEqualTo(engine.submissions().get(first.id()));
  }

  @Test
  void aDecisionAnswersWhatAFreshReadOfTheItemReturns() {
    // FIRST_RESPONSE: bob's approval settles the step, carol's item is canceled, the run ends.
    SubmissionView settled = submit("First_Response", Optional.empty());
    WorkItemView bobs = itemOf(settled, "Approve", "bob");
    WorkItemView approved =
        engine.workItems().decide(bobs.id(), Decision.APPROVE, Optional.of("fine by me"), "bob");
    assertThat(approved.status()).isEqualTo(WorkItemStatus.APPROVED);
    assertThat(approved.dueAt()).isPresent();
    assertThat(approved.comments()).contains("fine by me");
    assertThat(approved).isEqualTo(freshRead(approved));
    assertThat(itemOf(settled, "Approve", "carol").status()).isEqualTo(WorkItemStatus.CANCELED);
    assertThat(engine.submissions().get(settled.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);

    // UNANIMOUS: bob's approval leaves the step waiting for carol; carol's rejection ends it.
    SubmissionView unanimous = submit("Unanimous", Optional.empty());
    WorkItemView first =
        engine
            .workItems()
            .decide(
                itemOf(unanimous, "Approve", "bob").id(),
                Decision.APPROVE,
                Optional.empty(),
                "bob");
    assertThat(first).isEqualTo(freshRead(first));
    WorkItemView rejected =
        engine
            .workItems()
            .decide(
                itemOf(unanimous, "Approve", "carol").id(),
                Decision.REJECT,
                Optional.of("no"),
                "carol",
                Optional.of("rb-key-2"));
    assertThat(rejected.status()).isEqualTo(WorkItemStatus.REJECTED);
    assertThat(rejected).isEqualTo(freshRead(rejected));
    // The replay of the keyed decision reads the item: the same answer.
    assertThat(
            engine
                .workItems()
                .decide(
                    rejected.id(),
                    Decision.REJECT,
                    Optional.of("no"),
                    "carol",
                    Optional.of("rb-key-2")))
        .isEqualTo(rejected);
  }

  @Test
  void aDelegatesDecisionAnswersWhatAFreshReadReturns() {
    engine.delegations().set("bob", "dave", Optional.empty(), Optional.empty(), "bob");
    try {
      SubmissionView submission = submit("Unanimous", Optional.empty());
      WorkItemView decided =
          engine
              .workItems()
              .decide(
                  itemOf(submission, "Approve", "bob").id(),
                  Decision.APPROVE,
                  Optional.of("for bob"),
                  "dave");
      assertThat(decided.decidedBy()).contains("dave");
      assertThat(decided.decidedOnBehalfOf()).contains("bob");
      assertThat(decided).isEqualTo(freshRead(decided));
    } finally {
      engine.delegations().end("bob", "bob");
    }
  }

  @Test
  void aReassignmentAnswersWhatAFreshReadReturns() {
    SubmissionView submission = submit("Unanimous", Optional.empty());
    WorkItemView item = itemOf(submission, "Ladder", "carol");

    WorkItemView reassigned = engine.workItems().reassign(item.id(), "USER", "dave", "carol");

    assertThat(reassigned.status()).isEqualTo(WorkItemStatus.ASSIGNED);
    assertThat(reassigned.assigneeId()).isEqualTo("dave");
    assertThat(reassigned.updatedAt()).isAfterOrEqualTo(item.updatedAt());
    // A fresh read of an open item carries its record's approver fields; the answer never did.
    assertThat(reassigned).isEqualTo(freshRead(reassigned).withRecordSummary(Map.of()));
    assertThat(engine.submissions().get(submission.id()).history())
        .extracting(AuditEntryView::action)
        .containsExactly("SUBMIT", "REASSIGN");
  }

  private SubmissionView submit(String orchestration, Optional<String> comments) {
    return engine
        .submissions()
        .submit(
            new SubmitRequest("Expense", expense().id().orElseThrow(), orchestration, comments),
            "alice");
  }

  private RecordData expense() {
    return engine
        .records()
        .create(
            "Expense",
            Map.of("Title", "Offsite", "Amount", new BigDecimal("120.50"), "Status", "Draft"),
            "alice");
  }

  private WorkItemView itemOf(SubmissionView submission, String step, String assignee) {
    return engine.workItems().ofRun(submission.runId()).stream()
        .filter(item -> item.stepName().equals(step) && item.assigneeId().equals(assignee))
        .findFirst()
        .orElseThrow();
  }

  /** The item as a new transaction reads it. */
  private WorkItemView freshRead(WorkItemView item) {
    return engine.workItems().ofRun(item.runId()).stream()
        .filter(read -> read.id().equals(item.id()))
        .findFirst()
        .orElseThrow();
  }
}

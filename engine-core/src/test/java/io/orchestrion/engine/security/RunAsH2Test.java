package io.orchestrion.engine.security;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.orchestration.RunAsSpec;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.directory.JdbcDirectory;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.directory.FieldPermission;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.User;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Run-as of background steps (SPEC §7) through the engine: every option, the seed's default, and
 * the failures, which leave the step in ERROR with an error that says what to fix.
 */
class RunAsH2Test {
  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;

  @BeforeEach
  void setUp() {
    database = TestDatabases.h2();
    harness = EngineHarness.start(database, EngineHarness.config(database, false));
    engine = harness.engine();
    harness.defineExpense();
    harness.activateFlows("flow-mark-in-review.json");
    engine.directory().saveUser(User.of("alice", "Alice Submitter"));
    engine.directory().saveUser(User.of("bob", "Bob Former").withActive(false));
    engine.directory().saveUser(User.of("carl", "Carl Colleague"));
  }

  @AfterEach
  void tearDown() {
    harness.close();
    database.close();
  }

  private RunView.Step runMarkStep(String runAsJson) {
    return runMarkStep(runAsJson, Map.of());
  }

  private RunView.Step runMarkStep(String runAsJson, Map<String, Object> extraFields) {
    String runAs = runAsJson == null ? "" : ", \"runAs\": " + runAsJson;
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Review", "objectType": "Expense",
                 "stages": [{"name": "Intake", "steps": [
                   {"name": "Mark", "kind": "BACKGROUND", "flow": "Mark_In_Review",
                    "inputs": {"recordId": {"ref": "$Record.Id"}},
                    "start": {"type": "STAGE_STARTS"}%s}]}]}
                """
                    .formatted(runAs)),
            true);
    Map<String, Object> fields =
        new java.util.HashMap<>(
            Map.of("Title", "Team dinner", "Amount", new BigDecimal("2500.00"), "Status", "Draft"));
    fields.putAll(extraFields);
    RecordData expense = engine.records().create("Expense", fields, "alice");
    SubmissionView submission =
        engine
            .submissions()
            .submit(
                new SubmitRequest(
                    "Expense", expense.id().orElseThrow(), "Review", Optional.empty()),
                "alice");
    RunView run = engine.runs().get(submission.runId());
    return run.stages().getFirst().steps().getFirst();
  }

  @Test
  void byDefaultTheStepRunsAsTheAutomatedProcessUserAndSeesAllData() {
    RunView.Step step = runMarkStep(null);

    assertThat(step.status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(step.runAsUserId()).contains("automated-process");
    assertThat(step.runMode()).contains(RunMode.SYSTEM_WITHOUT_SHARING);
    assertThat(step.outputs()).containsEntry("category", "large");
  }

  @Test
  void submitterWithoutObjectPermissionsGetsAnInsufficientAccessFaultInUserMode() {
    RunView.Step step = runMarkStep("{\"type\": \"SUBMITTER\"}");

    assertThat(step.status()).isEqualTo(StepStatus.ERROR);
    assertThat(step.runAsUserId()).contains("alice");
    assertThat(step.runMode()).contains(RunMode.USER);
    assertThat(step.error().orElseThrow())
        .contains("insufficient access: user 'alice' (run mode USER)")
        .contains("READ permission on object type 'Expense'");
  }

  @Test
  void submitterWithPermissionsRunsInUserModeAndIsTheLastModifier() {
    engine
        .directory()
        .savePermissionSet(
            new PermissionSet(
                "expense-user",
                "Expense user",
                Map.of("Expense", Set.of(ObjectPermission.READ, ObjectPermission.EDIT)),
                Map.of("Expense", Map.of(PermissionSet.ALL_FIELDS, Set.of(FieldPermission.EDIT))),
                Set.of()));
    engine.directory().assign("alice", "expense-user");

    RunView.Step step = runMarkStep("{\"type\": \"SUBMITTER\"}");

    assertThat(step.status()).as(step.error().orElse("")).isEqualTo(StepStatus.COMPLETED);
    assertThat(step.runAsUserId()).contains("alice");
    assertThat(step.runMode()).contains(RunMode.USER);
  }

  @Test
  void aGivenActiveUserIsUsed() {
    RunView.Step step = runMarkStep("{\"type\": \"USER\", \"userId\": \"carl\"}");

    assertThat(step.runAsUserId()).contains("carl");
    assertThat(step.runMode()).contains(RunMode.USER);
    // Carl neither owns the record nor holds permissions: the flow fails, not the resolution.
    assertThat(step.error().orElseThrow()).contains("user 'carl' (run mode USER)");
  }

  @Test
  void anInactiveUserFailsTheStepWithARetryableError() {
    RunView.Step step = runMarkStep("{\"type\": \"USER\", \"userId\": \"bob\"}");

    assertThat(step.status()).isEqualTo(StepStatus.ERROR);
    assertThat(step.error().orElseThrow())
        .contains("runAs USER of step 'Mark'")
        .contains("'bob' (Bob Former) is inactive")
        .contains("retry the step");
  }

  @Test
  void anUnknownUserFailsTheStep() {
    RunView.Step step = runMarkStep("{\"type\": \"USER\", \"userId\": \"nobody\"}");

    assertThat(step.status()).isEqualTo(StepStatus.ERROR);
    assertThat(step.error().orElseThrow()).contains("user 'nobody' does not exist");
  }

  @Test
  void aRecordFieldNamesTheUser() {
    RunView.Step step = runMarkStep("{\"type\": \"RECORD_FIELD\", \"field\": \"OwnerId\"}");

    assertThat(step.runAsUserId()).contains("alice");
    assertThat(step.runMode()).contains(RunMode.USER);
  }

  @Test
  void anEmptyRecordFieldFailsTheStep() {
    RunView.Step step = runMarkStep("{\"type\": \"RECORD_FIELD\", \"field\": \"Approver\"}");

    assertThat(step.status()).isEqualTo(StepStatus.ERROR);
    assertThat(step.error().orElseThrow())
        .contains("runAs RECORD_FIELD of step 'Mark'")
        .contains("field 'Approver' of the record holds no user id");
  }

  @Test
  void aRecordFieldNamingAnUnknownUserFailsTheStep() {
    RunView.Step step =
        runMarkStep(
            "{\"type\": \"RECORD_FIELD\", \"field\": \"Approver\"}", Map.of("Approver", "ghost"));

    assertThat(step.status()).isEqualTo(StepStatus.ERROR);
    assertThat(step.error().orElseThrow()).contains("user 'ghost' does not exist");
  }

  @Test
  void lastApproverWithoutADecisionFailsTheStep() {
    RunView.Step step = runMarkStep("{\"type\": \"LAST_APPROVER\"}");

    assertThat(step.status()).isEqualTo(StepStatus.ERROR);
    assertThat(step.error().orElseThrow())
        .contains("runAs LAST_APPROVER of step 'Mark'")
        .contains("no work item of this run has been decided");
  }

  @Test
  void lastApproverIsWhoeverDecidedTheMostRecentWorkItem() {
    RunAsResolver resolver =
        new RunAsResolver(new EngineSecurity(new JdbcDirectory(database.database())));
    RunAsSpec lastApprover =
        new RunAsSpec(RunAsSpec.RunAsType.LAST_APPROVER, Optional.empty(), Optional.empty());

    SecurityContext context =
        database
            .database()
            .inTransaction(
                tx -> {
                  insertDecidedWorkItem(
                      tx.connection(), "w1", "alice", Instant.parse("2026-01-01T10:00:00Z"));
                  insertDecidedWorkItem(
                      tx.connection(), "w2", "carl", Instant.parse("2026-01-01T11:00:00Z"));
                  return resolver.resolve(
                      tx,
                      lastApprover,
                      RunMode.DEFAULT,
                      new RunAsResolver.StepFacts(
                          "Pay", "run-1", "alice", field -> Optional.empty()));
                });

    assertThat(context).isEqualTo(new SecurityContext("carl", RunMode.USER));
  }

  @Test
  void anInactiveLastApproverIsRefused() {
    RunAsResolver resolver =
        new RunAsResolver(new EngineSecurity(new JdbcDirectory(database.database())));
    RunAsSpec lastApprover =
        new RunAsSpec(RunAsSpec.RunAsType.LAST_APPROVER, Optional.empty(), Optional.empty());

    assertThatThrownBy(
            () ->
                database
                    .database()
                    .inTransaction(
                        tx -> {
                          insertDecidedWorkItem(
                              tx.connection(), "w1", "bob", Instant.parse("2026-01-01T10:00:00Z"));
                          return resolver.resolve(
                              tx,
                              lastApprover,
                              RunMode.DEFAULT,
                              new RunAsResolver.StepFacts(
                                  "Pay", "run-1", "alice", field -> Optional.empty()));
                        }))
        .hasMessageContaining("'bob' (Bob Former) is inactive")
        .satisfies(
            e ->
                assertThat(((io.orchestrion.api.OrchestrionException) e).getErrorCode())
                    .isEqualTo(StandardErrorCode.INVALID_REQUEST.toErrorCode()));
  }

  private static void insertDecidedWorkItem(
      java.sql.Connection connection, String id, String decidedBy, Instant decidedAt)
      throws java.sql.SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO work_items (id, run_id, submission_id, step_instance_id, step_name,"
                + " status, assignee_type, assignee_id, decision, decided_by, decided_at,"
                + " created_at, updated_at) VALUES (?, 'run-1', 's-1', 'step-1', 'Approve',"
                + " 'APPROVED', 'USER', ?, 'APPROVE', ?, ?, ?, ?)")) {
      statement.setString(1, id);
      statement.setString(2, decidedBy);
      statement.setString(3, decidedBy);
      statement.setTimestamp(4, Timestamp.from(decidedAt));
      statement.setTimestamp(5, Timestamp.from(decidedAt));
      statement.setTimestamp(6, Timestamp.from(decidedAt));
      statement.executeUpdate();
    }
  }
}

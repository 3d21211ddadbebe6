package io.orchestrion.engine.security;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.RunAudience;
import io.orchestrion.engine.api.EventFilter;
import io.orchestrion.engine.api.SubmissionFilter;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.directory.FieldPermission;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's caller-aware API (what the HTTP API uses): records in USER mode, submitting needs
 * read access, and submissions, runs and events are listed and read only by their audience (the
 * submitter, assignees directly or through a group, run managers).
 */
abstract class CallerAccessContract {
  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;
  private RunAudience audience;

  protected abstract TestDatabaseKind kind();

  @BeforeEach
  void setUp() {
    database = TestDatabases.create(kind());
    harness = EngineHarness.start(database);
    engine = harness.engine();
    audience = engine.runAudience();
    harness.defineExpense();
    var directory = engine.directory();
    directory.savePermissionSet(
        new PermissionSet(
            "expense-editors",
            "Expense editors",
            Map.of(
                "Expense",
                Set.of(ObjectPermission.CREATE, ObjectPermission.READ, ObjectPermission.EDIT)),
            Map.of("Expense", Map.of(PermissionSet.ALL_FIELDS, Set.of(FieldPermission.EDIT))),
            Set.of()));
    directory.savePermissionSet(
        new PermissionSet(
            "expense-titles",
            "Every expense, titles only",
            Map.of("Expense", Set.of(ObjectPermission.VIEW_ALL)),
            Map.of("Expense", Map.of("Title", Set.of(FieldPermission.READ))),
            Set.of()));
    directory.savePermissionSet(
        new PermissionSet(
            "run-managers",
            "Run managers",
            Map.of(),
            Map.of(),
            Set.of(SystemPermission.MANAGE_RUNS)));
    for (String id : List.of("owen", "nora", "rita", "carl", "gina", "mona")) {
      directory.saveUser(User.of(id, id));
    }
    directory.assign("owen", "expense-editors");
    directory.assign("rita", "expense-titles");
    directory.assign("mona", "run-managers");
    directory.saveGroup(
        new PublicGroup("Reviewers", "Reviewers", List.of(GroupMember.user("gina"))));
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Two_Reviews", "objectType": "Expense", "stages": [{"name": "Review",
                 "steps": [
                   {"name": "By_Carl", "kind": "APPROVAL",
                    "assignee": {"type": "USER", "userId": "carl"}},
                   {"name": "By_Reviewers", "kind": "APPROVAL",
                    "assignee": {"type": "GROUP", "group": "Reviewers"}}]}]}
                """),
            true);
  }

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
    database.close();
  }

  private static SecurityContext as(String userId) {
    return new SecurityContext(userId, RunMode.USER);
  }

  private RecordData ownExpense() {
    return engine
        .records()
        .create(
            "Expense",
            Map.of("Title", "Train", "Amount", new BigDecimal("80.00"), "Status", "Draft"),
            as("owen"));
  }

  @Test
  void recordsThroughACallerObeyTheirAccess() {
    RecordData created = ownExpense();
    String id = created.id().orElseThrow();
    assertThat(created.fields())
        .containsEntry("CreatedById", "owen")
        .containsEntry("OwnerId", "owen");
    assertThat(engine.records().get("Expense", id, as("owen")).fields()).containsKey("Amount");
    RecordData updated =
        engine
            .records()
            .update("Expense", id, Map.of("Title", "Train home"), Optional.empty(), as("owen"));
    assertThat(updated.fields()).containsEntry("Title", "Train home");

    assertDenied(
        () -> engine.records().create("Expense", Map.of("Title", "x"), as("nora")),
        "no CREATE permission on object type 'Expense'");
    assertDenied(() -> engine.records().get("Expense", id, as("nora")), "no READ permission");
    assertDenied(
        () ->
            engine
                .records()
                .update("Expense", id, Map.of("Title", "mine"), Optional.empty(), as("nora")),
        "no READ permission");
    assertThatThrownBy(() -> engine.records().get("Expense", "no-such-id", as("owen")))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getErrorCode().name()).isEqualTo("NOT_FOUND"));

    // VIEW_ALL bypasses sharing; field-level security still hides what rita may not read.
    RecordData seenByRita = engine.records().get("Expense", id, as("rita"));
    assertThat(seenByRita.fields())
        .containsEntry("Title", "Train home")
        .doesNotContainKey("Amount");
    assertDenied(
        () ->
            engine
                .records()
                .update("Expense", id, Map.of("Title", "hers"), Optional.empty(), as("rita")),
        "no EDIT permission");

    // The actor-id methods trust their caller (embedders): nora's id is only recorded.
    assertThat(engine.records().get("Expense", id).fields()).containsKey("Amount");
  }

  @Test
  void submittingThroughACallerNeedsReadAccessToTheRecord() {
    String id = ownExpense().id().orElseThrow();
    SubmitRequest request = new SubmitRequest("Expense", id, "Two_Reviews", Optional.empty());
    assertDenied(() -> engine.submissions().submit(request, as("nora")), "no READ permission");
    SubmissionView submitted = engine.submissions().submit(request, as("owen"));
    assertThat(submitted.submitterId()).isEqualTo("owen");
  }

  @Test
  void submissionsRunsAndEventsAreVisibleToTheirAudienceOnly() {
    String id = ownExpense().id().orElseThrow();
    SubmissionView submitted =
        engine
            .submissions()
            .submit(new SubmitRequest("Expense", id, "Two_Reviews", Optional.empty()), as("owen"));
    String runId = submitted.runId();
    engine.runs().publishManualEvent(runId, Map.of("why", "test"), "mona");

    // Submitter, the USER assignee, a member of the assigned group, a run manager.
    for (String userId : List.of("owen", "carl", "gina", "mona", "admin")) {
      assertThat(visibleSubmissions(userId)).as(userId).containsExactly(submitted.id());
      assertThat(visibleEventRuns(userId)).as(userId).contains(runId);
      audience.requireVisibleRun(runId, userId);
      audience.requireVisibleSubmission(submitted.id(), userId);
    }
    for (String userId : List.of("nora", "rita")) {
      assertThat(visibleSubmissions(userId)).as(userId).isEmpty();
      assertThat(visibleEventRuns(userId)).as(userId).isEmpty();
      assertThatThrownBy(() -> audience.requireVisibleRun(runId, userId))
          .isInstanceOfSatisfying(
              OrchestrionException.class,
              e -> assertThat(e.getErrorCode().name()).isEqualTo("PERMISSION_DENIED"))
          .hasMessageContaining("user '" + userId + "' may not see run '" + runId + "'");
    }
    assertThatThrownBy(() -> audience.requireVisibleRun("no-such-run", "nora"))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getErrorCode().name()).isEqualTo("NOT_FOUND"));
    // Filters combine with the visibility condition.
    assertThat(
            engine
                .submissions()
                .listVisibleTo(
                    "carl",
                    new SubmissionFilter(Optional.of("Expense"), Optional.of(id), Optional.empty()),
                    Optional.empty(),
                    10)
                .items())
        .hasSize(1);
  }

  private List<String> visibleSubmissions(String userId) {
    return engine
        .submissions()
        .listVisibleTo(userId, SubmissionFilter.ALL, Optional.empty(), 100)
        .items()
        .stream()
        .map(SubmissionView::id)
        .toList();
  }

  private List<String> visibleEventRuns(String userId) {
    return engine.events().pageVisibleTo(userId, 0, EventFilter.ALL, 100).items().stream()
        .map(OrchestrationEvent::runId)
        .toList();
  }

  private static void assertDenied(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getErrorCode().name()).isEqualTo("INSUFFICIENT_ACCESS"))
        .hasMessageContaining(message);
  }
}

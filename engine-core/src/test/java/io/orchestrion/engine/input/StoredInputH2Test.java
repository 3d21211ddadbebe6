package io.orchestrion.engine.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.Role;
import io.orchestrion.spi.directory.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every string the engine stores is checked where the engine accepts it: too long for its column
 * (or holding a NUL) is a problem naming the field's JSON path and the limit, never a database
 * error; an invalid definition api name is a problem at {@code $.apiName} among the others.
 */
class StoredInputH2Test {
  private static TestDatabase database;
  private static EngineHarness harness;
  private static OrchestrionEngine engine;

  @BeforeAll
  static void start() {
    database = TestDatabases.h2();
    harness = EngineHarness.start(database, EngineHarness.config(database, false));
    engine = harness.engine();
    harness.defineExpense();
  }

  @AfterAll
  static void stop() {
    harness.close();
    database.close();
  }

  private static OrchestrionException failure(ThrowingCallable call) {
    OrchestrionException[] caught = new OrchestrionException[1];
    assertThatThrownBy(call).isInstanceOfSatisfying(OrchestrionException.class, e -> caught[0] = e);
    return caught[0];
  }

  private static List<Problem> requestProblems(ThrowingCallable call) {
    OrchestrionException e = failure(call);
    assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.INVALID_REQUEST.toErrorCode());
    return e.getProblems();
  }

  private static List<Problem> definitionProblems(ThrowingCallable call) {
    OrchestrionException e = failure(call);
    assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.INVALID_DEFINITION.toErrorCode());
    return e.getProblems();
  }

  @Test
  void directoryStringsLongerThanTheirColumnsAreProblemsNamingFieldAndLimit() {
    User user =
        new User(
            "long-user",
            "u".repeat(256),
            "d".repeat(300),
            Optional.of("e".repeat(321)),
            true,
            Optional.empty(),
            Optional.empty(),
            false);

    assertThat(requestProblems(() -> engine.directory().saveUser(user)))
        .containsExactly(
            new Problem("$.username", "must be at most 255 characters, was 256"),
            new Problem("$.displayName", "must be at most 255 characters, was 300"),
            new Problem("$.email", "must be at most 320 characters, was 321"));
    assertThat(engine.directory().directory().user("long-user")).isEmpty();
    assertThat(
            requestProblems(
                () ->
                    engine
                        .directory()
                        .saveRole(new Role("r", "n".repeat(256), Optional.of("p".repeat(65))))))
        .extracting(Problem::path)
        .containsExactly("$.name", "$.parentRoleId");
    assertThat(
            requestProblems(
                () ->
                    engine.directory().saveGroup(new PublicGroup("g", "n".repeat(256), List.of()))))
        .extracting(Problem::path)
        .containsExactly("$.name");
    assertThat(
            requestProblems(
                () ->
                    engine
                        .directory()
                        .saveQueue(
                            new Queue("q", "n".repeat(256), List.of(), List.of("T".repeat(41))))))
        .extracting(Problem::path)
        .containsExactly("$.name", "$.objectTypes[0]");
    assertThat(
            requestProblems(
                () ->
                    engine
                        .directory()
                        .savePermissionSet(
                            new PermissionSet(
                                "ps",
                                "n".repeat(256),
                                Map.of("T".repeat(41), Set.of()),
                                Map.of("Expense", Map.of("a b".repeat(14), Set.of())),
                                Set.of()))))
        .extracting(Problem::path)
        .containsExactlyInAnyOrder(
            "$.name",
            "$.objectPermissions." + "T".repeat(41),
            "$.fieldPermissions.Expense['" + "a b".repeat(14) + "']");
  }

  @Test
  void aNulCharacterIsRefusedBecausePostgresqlCannotStoreIt() {
    assertThat(
            requestProblems(
                () -> engine.directory().saveUser(User.of("nul-user", "Nul\u0000Name"))))
        .containsExactly(
            new Problem("$.displayName", "must not contain the NUL character (\\u0000)"));
  }

  @Test
  void submissionCommentsLongerThanTheirColumnAreAProblem() {
    assertThat(
            requestProblems(
                () ->
                    engine
                        .submissions()
                        .submit(
                            new SubmitRequest(
                                "Expense", "r".repeat(37), "O", Optional.of("c".repeat(4001))),
                            "admin")))
        .containsExactly(
            new Problem("$.recordId", "must be at most 36 characters, was 37"),
            new Problem("$.comments", "must be at most 4000 characters, was 4001"));
  }

  @Test
  void anInvalidApiNameIsADefinitionProblemAtItsPathAmongTheOthers() {
    FlowDefinition flow = EngineHarness.flow("flow-log-only.json");
    FlowDefinition renamed =
        EngineHarness.read(
            EngineHarness.fixture("flow-log-only.json")
                .replace("\"" + flow.apiName() + "\"", "\"not a name!\""),
            FlowDefinition.class);

    assertThat(definitionProblems(() -> engine.flows().deploy(renamed, false)))
        .extracting(Problem::path)
        .containsExactly("$.apiName");
    String orchestration =
        EngineHarness.fixture("orchestration-expense.json")
            .replace("\"Expense_Approval\"", "\"9lives\"")
            .replace("\"Intake\"", "\"" + "S".repeat(101) + "\"")
            .replace("\"Mark\"", "\"" + "M".repeat(101) + "\"");
    List<Problem> problems =
        definitionProblems(
            () ->
                engine.orchestrations().deploy(EngineHarness.orchestration(orchestration), false));
    assertThat(problems)
        .extracting(Problem::path)
        .contains("$.apiName", "$.stages[0].name", "$.stages[0].steps[0].name");
    assertThat(problems.getFirst().message()).contains("'9lives'", "at most 80");
  }
}

package io.orchestrion.engine.orchestration;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deploy checks of several approvers, decision policies and manager chains, with JSON paths. */
class ApprovalPolicyChecksTest {
  private static final String BOB = "{\"type\": \"USER\", \"userId\": \"bob\"}";
  private static final String CFO = "{\"type\": \"USER\", \"userId\": \"cfo\"}";
  private static final String FINANCE = "{\"type\": \"QUEUE\", \"queue\": \"Finance\"}";

  private static TestDatabase database;
  private static EngineHarness harness;

  @BeforeAll
  static void setUp() {
    database = TestDatabases.h2();
    harness = EngineHarness.start(database, EngineHarness.config(database, false));
    harness.defineExpense();
  }

  @AfterAll
  static void tearDown() {
    harness.close();
    database.close();
  }

  private static String withApproval(String approval) {
    return """
        {"apiName": "X", "objectType": "Expense", "stages": [{"name": "S", "steps": [
          {"name": "Other", "kind": "APPROVAL", "assignee": %s},
          {"name": "A", "kind": "APPROVAL", %s}]}]}
        """
        .formatted(BOB, approval);
  }

  private static List<Problem> problemsOf(String approval) {
    try {
      harness.engine().orchestrations().deploy(orchestration(withApproval(approval)), false);
    } catch (OrchestrionException e) {
      assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.INVALID_DEFINITION.toErrorCode());
      return e.getProblems();
    }
    throw new AssertionError("deploy succeeded");
  }

  private static void deploys(String approval) {
    harness.engine().orchestrations().deploy(orchestration(withApproval(approval)), false);
  }

  @Test
  void aValidPolicyDeploys() {
    deploys(
        "\"assignees\": [%s, %s, %s], \"policy\": {\"type\": \"QUORUM\", \"quorum\": 2, \"veto\": [%s]}"
            .formatted(BOB, CFO, FINANCE, CFO));
    deploys("\"assignees\": [%s, %s], \"policy\": {\"type\": \"UNANIMOUS\"}".formatted(BOB, CFO));
    deploys("\"assignee\": {\"type\": \"MANAGER_CHAIN\", \"upToRole\": \"VP\"}");
  }

  @Test
  void aQuorumIsRequiredForQuorumOnlyAndWithinTheApprovers() {
    assertThat(
            problemsOf(
                "\"assignees\": [%s, %s], \"policy\": {\"type\": \"QUORUM\", \"quorum\": 3}"
                    .formatted(BOB, CFO)))
        .extracting(Problem::path, Problem::message)
        .containsExactly(
            tuple(
                "$.stages[0].steps[1].policy.quorum",
                "quorum must be between 1 and the number of approvers (2), not 3"));
    assertThat(
            problemsOf(
                "\"assignees\": [%s, %s], \"policy\": {\"type\": \"QUORUM\"}".formatted(BOB, CFO)))
        .extracting(Problem::path)
        .containsExactly("$.stages[0].steps[1].policy.quorum");
    assertThat(
            problemsOf(
                "\"assignees\": [%s, %s], \"policy\": {\"type\": \"UNANIMOUS\", \"quorum\": 1}"
                    .formatted(BOB, CFO)))
        .extracting(Problem::path, Problem::message)
        .containsExactly(
            tuple(
                "$.stages[0].steps[1].policy.quorum",
                "'quorum' belongs to the QUORUM policy, not UNANIMOUS"));
  }

  @Test
  void vetoEntriesMustBeAssigneesAndApproversAreDistinct() {
    assertThat(
            problemsOf(
                "\"assignees\": [%s, %s, %s], \"policy\": {\"type\": \"UNANIMOUS\", \"veto\": [%s]}"
                    .formatted(BOB, FINANCE, BOB, CFO)))
        .extracting(Problem::path)
        .containsExactlyInAnyOrder(
            "$.stages[0].steps[1].assignees[2]", "$.stages[0].steps[1].policy.veto[0]");
  }

  @Test
  void aManagerChainIsTheSoleApproverWithExactlyOneLimit() {
    assertThat(
            problemsOf(
                "\"assignees\": [{\"type\": \"MANAGER_CHAIN\", \"levels\": 2}, %s]".formatted(BOB)))
        .extracting(Problem::path)
        .containsExactly("$.stages[0].steps[1].assignees[0].type");
    assertThat(problemsOf("\"assignee\": {\"type\": \"MANAGER_CHAIN\"}"))
        .extracting(Problem::path, Problem::message)
        .containsExactly(
            tuple(
                "$.stages[0].steps[1].assignee",
                "MANAGER_CHAIN needs exactly one of 'levels' and 'upToRole'"));
    assertThat(problemsOf("\"assignee\": {\"type\": \"MANAGER_CHAIN\", \"levels\": 11}"))
        .extracting(Problem::path, Problem::message)
        .containsExactly(
            tuple(
                "$.stages[0].steps[1].assignee.levels", "levels must be between 1 and 10, not 11"));
    assertThat(
            problemsOf(
                "\"assignee\": {\"type\": \"MANAGER_CHAIN\", \"levels\": 2},"
                    + " \"policy\": {\"type\": \"UNANIMOUS\"}"))
        .extracting(Problem::path)
        .containsExactly("$.stages[0].steps[1].policy");
    assertThat(problemsOf("\"assignee\": {\"type\": \"USER\", \"userId\": \"bob\", \"levels\": 2}"))
        .extracting(Problem::path)
        .containsExactly("$.stages[0].steps[1].assignee.levels");
  }

  @Test
  void eachApproverIsCheckedAtItsOwnPath() {
    assertThat(
            problemsOf(
                "\"assignees\": [%s, {\"type\": \"USER\"}, {\"type\": \"ASSIGNEE_MANAGER\"}]"
                    .formatted(BOB)))
        .extracting(Problem::path)
        .containsExactlyInAnyOrder(
            "$.stages[0].steps[1].assignees[1].userId", "$.stages[0].steps[1].assignees[2].type");
  }
}

package io.orchestrion.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.run.EventKind;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Work items for a queue and a group, decided by their members (and by nobody else). */
@OrchestrionTest
@Deploy({"expenses/expense.object.json", "expenses/finance-review.orchestration.json"})
class QueuesAndGroupsTest {
  private String run;

  @BeforeEach
  void submitted(TestEngine engine) {
    engine.addUser("alice");
    engine.addUser("fiona");
    engine.addUser("carl");
    engine.addUser("mallory");
    engine.addQueue("Finance", "Expense", "fiona");
    engine.addGroup("Controllers", "carl");
    String expense =
        engine.createRecord(
            "Expense", Map.of("Title", "Laptop", "Amount", new BigDecimal("1800.00")), "alice");
    run = engine.submit("Expense", expense, "Finance_Review", "alice").runId();
  }

  @Test
  void theQueueThenTheGroupApprove(TestEngine engine) {
    engine
        .assertThatRun(run)
        .workItem("Finance_Approval")
        .isAssigned()
        .isAssignedToQueue("Finance");
    engine.assertThatRun(run).step("Controller_Approval").isNotStarted();

    engine.approve(run, "Finance_Approval", "fiona");
    engine
        .assertThatRun(run)
        .isPending()
        .workItem("Controller_Approval")
        .isAssignedToGroup("Controllers");

    engine.approve(run, "Controller_Approval", "carl");
    engine
        .assertThatRun(run)
        .isApproved()
        .hasNoOpenWorkItems()
        .events()
        .containDecision("Finance_Approval", "APPROVE", "fiona")
        .containDecision("Controller_Approval", "APPROVE", "carl")
        .haveKindsInOrder(
            EventKind.SUBMITTED, EventKind.WORK_ITEM_DECIDED, EventKind.RUN_COMPLETED);
  }

  @Test
  void onlyMembersMayDecide(TestEngine engine) {
    assertThatThrownBy(() -> engine.approve(run, "Finance_Approval", "mallory"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("user 'mallory' may not decide work item")
        .hasMessageContaining("QUEUE Finance");
    engine.assertThatRun(run).isPending().workItem("Finance_Approval").isAssigned();
  }

  @Test
  void aRejectionByTheQueueRejectsTheSubmission(TestEngine engine) {
    engine.reject(run, "Finance_Approval", "fiona", "over budget");

    engine
        .assertThatRun(run)
        .isRejected()
        .workItem("Finance_Approval")
        .isRejected()
        .wasDecidedBy("fiona")
        .run()
        .step("Controller_Approval")
        .isNotStarted();
  }
}

package io.orchestrion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example of the module's README, run as it is shown there (ReadmeTest checks the copy). */
// --- readme: example ---
@OrchestrionTest
@Deploy({
  "expenses/expense.object.json",
  "expenses/mark-in-review.flow.json",
  "expenses/cool-off.flow.json",
  "expenses/expense-approval.orchestration.json"
})
class ExpenseApprovalExampleTest {
  @Test
  void theManagerIsAskedAfterADayOfCoolingOff(TestEngine engine) {
    engine.addUser("bob");
    engine.addUser("alice", "bob");
    String expense =
        engine.createRecord(
            "Expense", Map.of("Title", "Train", "Amount", new BigDecimal("89.90")), "alice");

    String run = engine.submit("Expense", expense, "Expense_Approval", "alice").runId();
    engine.assertThatRun(run).isPending().step("Cool_Off").isInProgress();

    engine.advance(Duration.ofHours(24)); // the Wait is over: no sleeping, no polling
    engine.assertThatRun(run).workItem("Manager_Approval").isAssignedTo("bob");

    engine.approve(run, "Manager_Approval", "bob");
    engine.assertThatRun(run).isApproved().hasNoOpenWorkItems();
    assertThat(engine.record("Expense", expense).fields()).containsEntry("Status", "In Review");
  }
}
// --- end of readme: example ---

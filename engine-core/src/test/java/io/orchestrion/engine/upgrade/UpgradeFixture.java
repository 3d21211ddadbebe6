package io.orchestrion.engine.upgrade;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;

import io.orchestrion.api.object.RecordData;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * The data of the upgrade fixture (src/test/resources/upgrade): definitions, and runs left waiting
 * in every way a run can wait across an upgrade — an interview paused on a flow event (a job with
 * its event waits), an open work item, a timer that falls due after the upgrade.
 */
final class UpgradeFixture {
  /** The flow event that resumes the waiting interviews, keyed by their expense's id. */
  static final String EVENT = "expense.audited";

  /** Runs the fixture leaves waiting for {@link #EVENT}, and at the approval step. */
  static final int WAITING_FOR_EVENT = 3;

  static final int WAITING_FOR_APPROVAL = 2;

  /** Await_Audit, whose timer is long enough to stay pending until after the upgrade. */
  static final String AWAIT_FLOW_FIXTURE = "flow-await-audit.json";

  static final String ORCHESTRATION =
      """
      {"apiName": "Upgrade_Audit", "objectType": "Expense", "allowSubmitterApproval": true,
       "stages": [
         {"name": "Intake", "steps": [
           {"name": "Await", "kind": "BACKGROUND", "flow": "Await_Audit",
            "inputs": {"recordId": {"ref": "$Record.Id"}}, "start": {"type": "STAGE_STARTS"}}]},
         {"name": "Review", "steps": [
           {"name": "Approve", "kind": "APPROVAL",
            "assignee": {"type": "USER", "userId": "admin"},
            "start": {"type": "STAGE_STARTS"}}]}]}""";

  private UpgradeFixture() {}

  /** Defines the Expense type, Await_Audit (waiting up to a day) and Upgrade_Audit. */
  static void deploy(EngineHarness harness) {
    harness.defineExpense();
    harness
        .engine()
        .flows()
        .deploy(
            EngineHarness.read(
                EngineHarness.fixture(AWAIT_FLOW_FIXTURE).replace("\"PT3S\"", "\"P1D\""),
                io.orchestrion.api.flow.FlowDefinition.class),
            true);
    harness.engine().orchestrations().deploy(orchestration(ORCHESTRATION), true);
  }

  /** Creates an expense and submits it as admin; returns its record id. */
  static String submit(OrchestrionEngine engine, String title) {
    RecordData expense =
        engine
            .records()
            .create(
                "Expense",
                Map.of("Title", title, "Amount", new BigDecimal("42.00"), "Status", "Draft"),
                "admin");
    String recordId = expense.id().orElseThrow();
    SubmissionView submission =
        engine
            .submissions()
            .submit(
                new SubmitRequest("Expense", recordId, "Upgrade_Audit", Optional.empty()), "admin");
    return submission.runId() + " " + recordId;
  }
}

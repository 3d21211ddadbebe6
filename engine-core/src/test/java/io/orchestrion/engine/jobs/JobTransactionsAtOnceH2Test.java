package io.orchestrion.engine.jobs;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.spi.Action;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code EngineConfig.jobTransactionsAtOnce} (issue 11, group commit at the commit bound): with one
 * slot for the first transactions of locally handed-over jobs, a job whose first transaction
 * stopped before an action with external side effects gives its slot back before the call, so a
 * slow call never stalls the other jobs; and every slot taken is given back, whatever the job's
 * outcome.
 */
class JobTransactionsAtOnceH2Test {
  @Test
  void aJobWaitingInAnExternalCallHoldsNoSlotAndEverySlotComesBack() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    Action action =
        invocation -> {
          if (calls.incrementAndGet() == 1) {
            // The first call hangs until the test lets it go.
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return Map.of("receipt", "sent to " + invocation.inputs().get("to"));
        };
    try (TestDatabase database = TestDatabases.h2();
        EngineHarness node =
            EngineHarness.start(
                database,
                EngineHarness.config(database, true)
                    .withJobTransactionsAtOnce(1)
                    // Only the local hand-off runs these jobs: no poll finds them first.
                    .withPollInterval(Duration.ofMinutes(10)),
                List.of(ExternalActionH2Test.plugins(action)))) {
      node.defineExpense();
      node.engine()
          .flows()
          .deploy(EngineHarness.read(ExternalActionH2Test.FLOW, FlowDefinition.class), true);
      node.engine().orchestrations().deploy(orchestration(ExternalActionH2Test.NOTIFY_ONCE), true);

      String hanging = submit(node, "Hangs in its call");
      awaitCalls(calls, 1);
      // The first job is in its call, its first transaction committed. With its one slot given
      // back, later jobs run to the end while the call still hangs.
      List<String> others = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        others.add(submit(node, "Then " + i));
      }
      for (String runId : others) {
        assertThat(node.awaitEnd(runId).status()).isEqualTo(RunStatus.COMPLETED);
      }
      assertThat(node.engine().runs().get(hanging).status()).isEqualTo(RunStatus.IN_PROGRESS);
      assertThat(release.getCount()).isEqualTo(1);

      release.countDown();
      assertThat(node.awaitEnd(hanging).status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(calls).hasValue(6);
    }
  }

  private static String submit(EngineHarness node, String title) {
    String recordId =
        node.engine()
            .records()
            .create("Expense", Map.of("Title", title, "Amount", new BigDecimal("42")), "admin")
            .id()
            .orElseThrow();
    return node.engine()
        .submissions()
        .submit(new SubmitRequest("Expense", recordId, "Notify_Once", Optional.empty()), "admin")
        .runId();
  }

  private static void awaitCalls(AtomicInteger calls, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (calls.get() < count) {
      assertThat(System.nanoTime()).as("%d call(s) within 20 s", count).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}

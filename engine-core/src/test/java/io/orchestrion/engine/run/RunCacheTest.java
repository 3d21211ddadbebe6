package io.orchestrion.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.StepKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run cache's bounds and its rule that an entry never goes back to an older revision. */
class RunCacheTest {

  @Test
  void theCacheKeepsAtMostItsRunsAndRowsLeastRecentlyUsedFirstOut() {
    RunCache cache = new RunCache(2, 100);
    cache.put(rows("a", 0, 10));
    cache.put(rows("b", 0, 10));
    cache.get("a", 0);
    cache.put(rows("c", 0, 10));
    assertThat(cache.revisionOf("b")).isEmpty();
    assertThat(cache.revisionOf("a")).contains(0L);
    assertThat(cache.size()).isEqualTo(2);

    cache.put(rows("d", 0, 85));
    assertThat(cache.rowCount()).isLessThanOrEqualTo(100);
    assertThat(cache.revisionOf("d")).contains(0L);

    // An older revision never replaces a newer one; a newer one does.
    cache.put(rows("d", 3, 1));
    cache.put(rows("d", 2, 1));
    assertThat(cache.revisionOf("d")).contains(3L);
    assertThat(cache.get("d", 2)).isEmpty();
    assertThat(cache.get("d", 3)).isPresent();
  }

  private static RunRows rows(String runId, long revision, int steps) {
    List<RunRows.StepRow> stepRows = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      stepRows.add(
          new RunRows.StepRow(
              runId + "-" + i,
              "stage",
              "Step " + i,
              i,
              StepKind.BACKGROUND,
              new StepInstance.Stored(
                  StepStatus.NOT_STARTED,
                  0,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null),
              null));
    }
    return new RunRows(runId, revision, null, List.of(), stepRows, List.of());
  }
}

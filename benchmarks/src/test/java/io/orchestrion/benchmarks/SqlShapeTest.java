package io.orchestrion.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.benchmarks.SqlShape.Watched;
import io.orchestrion.engine.queue.JobTable;
import org.junit.jupiter.api.Test;

/** The counting pool's reading of statement texts, worked out once per text. */
class SqlShapeTest {
  @Test
  void recognisesTheStatementsTheCountingPoolAttributes() {
    assertThat(SqlShape.of("  select id FROM runs WHERE id = ?").verb()).isEqualTo("SELECT");
    assertThat(SqlShape.of("INSERT INTO submissions (id) VALUES (?)").insertsSubmission()).isTrue();
    assertThat(SqlShape.of("UPDATE work_items SET status = ? WHERE id = ?").decidesWorkItem())
        .isTrue();
    assertThat(
            SqlShape.of("SELECT last_sequence FROM event_sequencer WHERE id = 1 FOR UPDATE")
                .sequencer())
        .isTrue();
    assertThat(
            SqlShape.of(
                    "SELECT last_sequence FROM event_sequencer WHERE id = 1 FOR UPDATE SKIP LOCKED")
                .sequencer())
        .isFalse();
    assertThat(SqlShape.of("INSERT INTO jobs (id, kind) VALUES (?, ?)").watched())
        .isEqualTo(Watched.JOB_INSERT);
    SqlShape delete = SqlShape.of(JobTable.DELETE_ENDED);
    assertThat(delete.watched()).isEqualTo(Watched.JOB_DELETE);
    assertThat(delete.jobRun()).isTrue();
    assertThat(delete.watched().jobIdIndex()).isEqualTo(1);
    // The PostgreSQL form: the fenced delete riding in its run's UPDATE.
    assertThat(
            SqlShape.of(
                    "WITH ended AS ("
                        + JobTable.DELETE_ENDED
                        + " RETURNING id) UPDATE runs SET status = ? WHERE id = ?")
                .watched())
        .isEqualTo(Watched.JOB_DELETE);
    assertThat(SqlShape.of("SELECT * FROM jobs WHERE id IN (?, ?) AND lease_owner = ?").watched())
        .isEqualTo(Watched.JOB_LOAD);
    assertThat(SqlShape.of("SELECT 1").watched()).isEqualTo(Watched.NONE);
  }

  @Test
  void aTextIsWorkedOutOnceAndKept() {
    String text = "SELECT revision FROM runs WHERE id = ? /* " + System.nanoTime() + " */";
    SqlShape first = SqlShape.of(text);

    assertThat(SqlShape.of(new String(text))).isSameAs(first);
  }
}

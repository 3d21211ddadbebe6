package io.orchestrion.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading whole-table and whole-index reads out of H2 and PostgreSQL plans. */
class QueryPlansTest {
  @Test
  void h2PlansReadWholeWhenTheyScanATableOrNameAnIndexWithoutACondition() {
    assertThat(
            QueryPlans.h2Scans(
                "SELECT \"ID\" FROM \"PUBLIC\".\"SUBMISSIONS\" /* PUBLIC.PRIMARY_KEY_82: ID = ?1 */"
                    + " WHERE \"ID\" = ?1"))
        .isEmpty();
    assertThat(
            QueryPlans.h2Scans(
                "SELECT \"LAST_SEQUENCE\" FROM \"PUBLIC\".\"EVENT_SEQUENCER\""
                    + " /* PUBLIC.EVENT_SEQUENCER.tableScan */"))
        .containsExactly("PUBLIC.EVENT_SEQUENCER.tableScan");
    assertThat(
            QueryPlans.h2Scans(
                "SELECT \"ID\" FROM \"PUBLIC\".\"EVENTS\" /* PUBLIC.PRIMARY_KEY_7 */"
                    + " WHERE \"SEQUENCE\" IS NULL ORDER BY 1 /* index sorted */"))
        .containsExactly("PUBLIC.PRIMARY_KEY_7");
  }

  @Test
  void postgresPlansReadWholeOnASeqScanOrAnIndexScanWithoutIndexCond() {
    assertThat(
            QueryPlans.postgresScans(
                """
                Index Scan using submissions_pkey on submissions  (cost=0.42..8.44 rows=1 width=9)
                  Index Cond: ((id)::text = $1)
                """))
        .isEmpty();
    assertThat(
            QueryPlans.postgresScans(
                """
                Limit  (cost=0.43..1.20 rows=100 width=8)
                  ->  Index Scan using events_pkey on events  (cost=0.43..77.20 rows=1 width=8)
                        Filter: (sequence IS NULL)
                """))
        .containsExactly("Index Scan using events_pkey on events (no Index Cond)");
    assertThat(
            QueryPlans.postgresScans(
                """
                Seq Scan on event_sequencer  (cost=0.00..1.01 rows=1 width=8)
                  Filter: (id = 1)
                """))
        .containsExactly("Seq Scan on event_sequencer");
  }
}

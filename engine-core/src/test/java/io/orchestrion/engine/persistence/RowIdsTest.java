package io.orchestrion.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RowIdsTest {

  @Test
  void idsAreVersion7UuidsInCanonicalText() {
    String id = RowIds.next();

    UUID parsed = UUID.fromString(id);
    assertThat(parsed.toString()).isEqualTo(id);
    assertThat(parsed.version()).isEqualTo(7);
    assertThat(parsed.variant()).isEqualTo(2);
  }

  @Test
  void idsStartWithTheMillisecondTheyWereMade() {
    long before = Instant.now().toEpochMilli();
    UUID id = UUID.fromString(RowIds.next());
    long after = Instant.now().toEpochMilli();

    long millis = id.getMostSignificantBits() >>> 16;
    assertThat(millis).isBetween(before, after);
  }

  @Test
  void idsMadeOneAfterAnotherSortAsTextInTheOrderTheyWereMade() {
    // What the B-trees see: a VARCHAR key compared as text. Thousands of ids fall in the same
    // millisecond here, so this also checks the ordering within one.
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      made.add(RowIds.next());
    }

    List<String> sorted = new ArrayList<>(made);
    sorted.sort(null);
    assertThat(sorted).isEqualTo(made);
    assertThat(new HashSet<>(made)).hasSize(made.size());
  }

  @Test
  void idsMadeOnManyThreadsAtOnceAreAllDifferent() throws Exception {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    int threads = 8;
    int each = 5_000;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    seen.add(RowIds.next());
                  }
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    }
    assertThat(seen).hasSize(threads * each);
  }
}

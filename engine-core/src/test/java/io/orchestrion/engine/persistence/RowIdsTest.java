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
  void idsMadeInLaterMillisecondsSortAsTextAfterEarlierOnes() throws InterruptedException {
    // What the B-trees see: a VARCHAR key compared as text. Ids of one millisecond are in no
    // particular order among themselves; across milliseconds they are in the order made.
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      made.add(RowIds.next());
      Thread.sleep(2);
    }

    List<String> sorted = new ArrayList<>(made);
    sorted.sort(null);
    assertThat(sorted).isEqualTo(made);
  }

  @Test
  void idsMadeInOneBurstDoNotGiveAwayTheirNeighbours() {
    // Thousands fall in one millisecond here. With a counter, the next id of a burst would be its
    // predecessor plus one; here each has fresh random bits (74 of them: 2^-62 that two differ by
    // one by chance).
    List<UUID> made = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      made.add(UUID.fromString(RowIds.next()));
    }
    for (int i = 1; i < made.size(); i++) {
      long step = made.get(i).getLeastSignificantBits() - made.get(i - 1).getLeastSignificantBits();
      assertThat(Math.abs(step)).as("low bits of id %d after id %d", i, i - 1).isGreaterThan(1);
    }
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

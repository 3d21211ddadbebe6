package io.orchestrion.engine.events;

import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.signals.WorkSignals;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers orchestration events in commit order (SPEC §4). Events are written with no sequence; this
 * sequencer numbers the committed, unnumbered ones in a transaction that holds the single sequencer
 * row lock. A number is therefore only ever given to an event that is already visible, and every
 * later number goes to a later transaction: a subscriber that has read up to N never misses an
 * event that appears later with a smaller number. One numbering transaction serves every event
 * committed since the previous one, so its cost is shared.
 */
public final class EventSequencer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventSequencer.class);
  private static final int BATCH = 1000;
  private static final Duration SAFETY_POLL = Duration.ofSeconds(1);

  private final Database database;
  private final WorkSignals signals;
  private ExecutorService executor;
  private volatile boolean stopping;

  @Inject
  public EventSequencer(Database database, WorkSignals signals) {
    this.database = database;
    this.signals = signals;
  }

  public synchronized void start() {
    if (executor != null) {
      return;
    }
    stopping = false;
    executor =
        Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("orchestrion-sequencer").factory());
    executor.execute(this::loop);
  }

  private void loop() {
    while (!stopping) {
      try {
        signals.awaitEvents(SAFETY_POLL.toMillis(), TimeUnit.MILLISECONDS);
        while (!stopping && sequenceOnce() == BATCH) {
          // more waiting
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Numbering events failed, will retry: {}", e.toString());
      }
    }
  }

  /** Numbers up to one batch of unnumbered events; returns how many it numbered. */
  public int sequenceOnce() {
    return database.inTransaction(
        tx -> {
          long last;
          try (PreparedStatement lock =
              tx.connection()
                  .prepareStatement(
                      "SELECT last_sequence FROM event_sequencer WHERE id = 1 FOR UPDATE")) {
            try (ResultSet rs = lock.executeQuery()) {
              rs.next();
              last = rs.getLong(1);
            }
          }
          List<Long> ids = new ArrayList<>();
          try (PreparedStatement select =
              tx.connection()
                  .prepareStatement(
                      "SELECT id FROM events WHERE sequence IS NULL ORDER BY id FETCH FIRST "
                          + BATCH
                          + " ROWS ONLY")) {
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getLong(1));
              }
            }
          }
          if (ids.isEmpty()) {
            return 0;
          }
          try (PreparedStatement number =
              tx.connection().prepareStatement("UPDATE events SET sequence = ? WHERE id = ?")) {
            for (long id : ids) {
              number.setLong(1, ++last);
              number.setLong(2, id);
              number.addBatch();
            }
            number.executeBatch();
          }
          try (PreparedStatement advance =
              tx.connection()
                  .prepareStatement("UPDATE event_sequencer SET last_sequence = ? WHERE id = 1")) {
            advance.setLong(1, last);
            advance.executeUpdate();
          }
          return ids.size();
        });
  }

  @Override
  public synchronized void close() {
    if (executor == null) {
      return;
    }
    stopping = true;
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor = null;
  }
}

package io.orchestrion.server.events;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.engine.EventService;
import io.orchestrion.engine.api.EventFilter;
import io.orchestrion.engine.api.EventPage;
import io.orchestrion.server.http.ServerBusyException;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's event streams. One poller reads the feed's highest committed sequence (a one-row
 * read) every {@code streamPollInterval} and wakes the streams when it moved; each stream then
 * reads its own events from the database — with its reader's filters and audience, in sequence
 * order — so a client of any node sees every event, in order, once. At most {@code maxStreams}
 * streams are open at once, and at most {@value #CONCURRENT_READS} of them read at a time, so that
 * streams cannot take the connection pool from the API.
 */
public final class EventStreamHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventStreamHub.class);
  static final int CONCURRENT_READS = 4;
  static final int BATCH = 200;

  private final EventService events;
  private final EventDeliverySettings settings;
  private final SseFrames frames;
  private final Semaphore slots;
  private final Semaphore reads = new Semaphore(CONCURRENT_READS, true);
  private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
  private volatile long lastSequence = -1;
  private Thread poller;
  private volatile boolean closed;

  @Inject
  public EventStreamHub(EventService events, EventDeliverySettings settings, ObjectMapper mapper) {
    this.events = requireNonNull(events, "events is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.frames = new SseFrames(requireNonNull(mapper, "mapper is null"));
    this.slots = new Semaphore(settings.maxStreams());
  }

  EventDeliverySettings settings() {
    return settings;
  }

  SseFrames frames() {
    return frames;
  }

  /** Takes a stream slot, or sheds the request (429) when all are taken. */
  void reserveSlot() {
    if (closed || !slots.tryAcquire()) {
      throw new ServerBusyException(
          "The server serves its maximum of "
              + settings.maxStreams()
              + " event streams (maxStreams); retry after 5 s or read GET /api/v1/events",
          5);
    }
  }

  void releaseSlot() {
    slots.release();
  }

  /** Runs the stream on its own virtual thread until it ends; the slot is released then. */
  void start(EventStream stream) {
    startPoller();
    open.add(stream);
    Thread.ofVirtual()
        .name("orchestrion-event-stream")
        .start(
            () -> {
              try {
                stream.run();
              } finally {
                open.remove(stream);
                releaseSlot();
              }
            });
  }

  /** The highest numbered sequence: where a stream without a position starts. */
  long currentSequence() {
    long known = events.lastSequence();
    if (known > lastSequence) {
      lastSequence = known;
    }
    return known;
  }

  /** The poller's last reading (the stream reads at least up to it when woken). */
  long knownSequence() {
    return lastSequence;
  }

  /** Events after {@code after} for {@code userId} with {@code filter}, at most {@link #BATCH}. */
  EventPage read(String userId, long after, EventFilter filter) throws InterruptedException {
    reads.acquire();
    try {
      return events.pageVisibleTo(userId, after, filter, BATCH);
    } finally {
      reads.release();
    }
  }

  int openStreams() {
    return open.size();
  }

  private synchronized void startPoller() {
    if (poller != null || closed) {
      return;
    }
    poller = Thread.ofVirtual().name("orchestrion-event-stream-poller").start(this::poll);
  }

  private void poll() {
    while (!closed) {
      try {
        Thread.sleep(settings.streamPollInterval());
        long before = lastSequence;
        if (!open.isEmpty() && currentSequence() > before) {
          open.forEach(EventStream::wake);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn(
            "Looking for new events for the event streams failed, will retry: {}", e.toString());
      }
    }
  }

  /** Stops the poller and ends every stream (their clients reconnect with Last-Event-ID). */
  @Override
  public void close() {
    closed = true;
    Thread current;
    synchronized (this) {
      current = poller;
      poller = null;
    }
    if (current != null) {
      current.interrupt();
    }
    open.forEach(stream -> stream.stop("SERVER_STOPPING", "the server is stopping"));
  }
}

package io.orchestrion.server.events;

import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.api.EventFilter;
import io.orchestrion.engine.api.EventPage;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's Server-Sent Events stream, run on its own virtual thread by {@link EventStreamHub}.
 * It reads the feed from the database after its position, in sequence order, and writes each event
 * once; woken by the hub when new events are numbered, and otherwise writes a heartbeat every
 * {@code streamHeartbeat}. What it has written and the client not yet read is bounded by {@code
 * streamBufferBytes}: while that is full it writes nothing more, and when it stays full for a
 * heartbeat interval the stream ends with a {@code closed} event, reason SLOW_CONSUMER (the client
 * reconnects with Last-Event-ID and misses nothing).
 */
final class EventStream {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  private static final long DRAIN_CHECK_MILLIS = 20;
  private static final long CLOSE_GRACE_MILLIS = 1000;

  private final EventStreamHub hub;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final String userId;
  private final EventFilter filter;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private boolean wakeUp;
  private volatile boolean ended;
  private volatile String stopReason;
  private volatile String stopDetail;

  /** The sequence of the last event written: the client's Last-Event-ID. */
  private long lastEventId;

  /**
   * Where the next read starts: at least {@link #lastEventId}, further when a read found fewer
   * events than a batch, since then every event up to the sequence known before it was scanned.
   */
  private long position;

  EventStream(
      EventStreamHub hub,
      HttpServerRequest request,
      String userId,
      EventFilter filter,
      long after) {
    this.hub = hub;
    this.request = request;
    this.response = request.response();
    this.userId = userId;
    this.filter = filter;
    this.lastEventId = after;
    this.position = after;
    response.setWriteQueueMaxSize(hub.settings().streamBufferBytes());
    response.closeHandler(ignored -> end());
    response.exceptionHandler(ignored -> end());
  }

  /** Tells the stream that new events may have been numbered. */
  void wake() {
    lock.lock();
    try {
      wakeUp = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Asks the stream to end with a {@code closed} event giving {@code reason}. */
  void stop(String reason, String detail) {
    stopDetail = detail;
    stopReason = reason;
    wake();
  }

  private void end() {
    ended = true;
    wake();
  }

  void run() {
    long heartbeatNanos = hub.settings().streamHeartbeat().toNanos();
    long nextHeartbeat = System.nanoTime() + heartbeatNanos;
    try {
      drain();
      while (!ended) {
        if (stopReason != null) {
          close(stopReason, stopDetail);
          return;
        }
        awaitWakeUp(nextHeartbeat - System.nanoTime());
        if (ended) {
          return;
        }
        if (stopReason == null && hub.knownSequence() > position && !drain()) {
          return;
        }
        if (System.nanoTime() - nextHeartbeat >= 0) {
          if (!writable()) {
            return;
          }
          response.write(SseFrames.HEARTBEAT);
          nextHeartbeat = System.nanoTime() + heartbeatNanos;
        }
      }
    } catch (InterruptedException e) {
      close("SERVER_STOPPING", "the server is stopping");
    } catch (RuntimeException e) {
      log.warn("An event stream of user '{}' failed: {}", userId, e.toString());
      close("ERROR", "the stream failed; reconnect with Last-Event-ID");
    }
  }

  /** Writes every event after the position; false when the stream ended meanwhile. */
  private boolean drain() throws InterruptedException {
    while (!ended && stopReason == null) {
      EventPage page = hub.read(userId, position, filter);
      // Frame by frame, each after the unread bytes fell under the bound: a batch of large events
      // written at once would put the whole batch past the bound.
      for (OrchestrationEvent event : page.items()) {
        if (!writable()) {
          return false;
        }
        response.write(hub.frames().event(event));
        lastEventId = event.sequence();
        position = lastEventId;
      }
      // A windowed read (a filter by kind, a reader who sees few runs) moves on without events.
      position = Math.max(position, page.readThrough());
      if (page.atEnd()) {
        return true;
      }
    }
    return !ended;
  }

  /**
   * Whether the client reads fast enough: waits while the written, unread bytes are over the bound,
   * and closes the stream (SLOW_CONSUMER) when they stay over it for a heartbeat interval.
   */
  private boolean writable() throws InterruptedException {
    long deadline = System.nanoTime() + hub.settings().streamHeartbeat().toNanos();
    while (response.writeQueueFull()) {
      if (ended) {
        return false;
      }
      if (System.nanoTime() - deadline >= 0) {
        close(
            "SLOW_CONSUMER",
            "the client read too slowly: more than "
                + hub.settings().streamBufferBytes()
                + " bytes stayed unread for "
                + hub.settings().streamHeartbeat()
                + "; reconnect with Last-Event-ID");
        return false;
      }
      Thread.sleep(DRAIN_CHECK_MILLIS);
    }
    return !ended;
  }

  private void awaitWakeUp(long nanos) throws InterruptedException {
    lock.lock();
    try {
      long remaining = nanos;
      while (!wakeUp && remaining > 0) {
        remaining = woken.awaitNanos(remaining);
      }
      wakeUp = false;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the response with a {@code closed} event, and the connection if the client lingers. */
  private void close(String reason, String detail) {
    if (ended) {
      return;
    }
    ended = true;
    try {
      response.end(hub.frames().closed(reason, detail, lastEventId));
      // A client that does not read never receives the end; do not keep its connection.
      Thread.sleep(CLOSE_GRACE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.debug("Ending an event stream failed: {}", e.toString());
    } finally {
      request.connection().close();
    }
  }
}

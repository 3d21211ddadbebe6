package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.RunLogContext;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.MDC;

/**
 * The bounded pools that run the API's blocking work off the event loop (ARCHITECTURE "Threads"). A
 * lane's handler hands the rest of the route chain to its pool: the following handlers run on a
 * pool thread, one request per thread, and end the response there. Every API request first takes
 * the {@linkplain #requests() request lane}; a route that may run an evaluation pass inline then
 * puts the {@linkplain #evaluation() evaluation lane} first, which moves it on to the smaller pool
 * of platform threads. A full pool and queue sheds the request ({@link ServerBusyException}, 429).
 * Both pools use platform threads, which the operating system preempts: a CPU-bound flow cannot
 * keep the other requests, the engine's virtual threads or the event loop from running.
 */
public final class RequestLanes implements AutoCloseable {
  /** What a shed request is told to wait before it retries. */
  public static final int RETRY_AFTER_SECONDS = 1;

  private static final long DRAIN_SECONDS = 10;

  private final RequestLimits limits;
  private final Lane requests;
  private final Lane evaluations;

  @Inject
  public RequestLanes(RequestLimits limits) {
    this.limits = requireNonNull(limits, "limits is null");
    this.requests =
        new Lane("orchestrion-http-request-", limits.requestThreads(), limits.requestQueue());
    this.evaluations =
        new Lane(
            "orchestrion-http-evaluation-", limits.evaluationThreads(), limits.evaluationQueue());
  }

  /** Continues the route chain on the request pool (every API request). */
  public Handler<RoutingContext> requests() {
    return context ->
        dispatch(
            requests,
            context,
            "all %d request threads and the %d places of their queue are taken (requestThreads,"
                    .formatted(limits.requestThreads(), limits.requestQueue())
                + " requestQueue)");
  }

  /**
   * Continues the route chain on the evaluation pool: for routes that may run an evaluation pass
   * (and so a flow) inline.
   */
  public Handler<RoutingContext> evaluation() {
    return context ->
        dispatch(
            evaluations,
            context,
            ("all %d evaluation threads and the %d places of their queue are taken"
                    + " (evaluationThreads, evaluationQueue)")
                .formatted(limits.evaluationThreads(), limits.evaluationQueue()));
  }

  /**
   * For the routes whose commands the engine groups (submit, decide; {@code work.CommandGroups}): a
   * request for which {@code alone} holds (one with an {@code Idempotency-Key}: the engine runs it
   * alone) moves to the evaluation pool as {@link #evaluation()} does; any other stays on its
   * request thread, where it may wait for a group to take it. The engine runs at most {@code
   * EngineConfig.commandGroupsAtOnce} groups at once, which the server sets to {@code
   * evaluationThreads}: the flows of these requests run on no more threads at once than the
   * evaluation pool has, and the ones that wait hold a request thread but no core.
   */
  public Handler<RoutingContext> evaluationUnlessGrouped(Predicate<RoutingContext> alone) {
    Handler<RoutingContext> evaluation = evaluation();
    return context -> {
      if (alone.test(context)) {
        evaluation.handle(context);
      } else {
        context.next();
      }
    };
  }

  private static void dispatch(Lane lane, RoutingContext context, String full) {
    if (!lane.places.tryAcquire()) {
      shed(lane, context, full);
      return;
    }
    // The request's place is given back once: before its answer leaves (its headers are written),
    // or when its task ends without one. Given back only after the thread had written the answer,
    // a client that sends its next request on receiving it could find the place still taken.
    AtomicBoolean givenBack = new AtomicBoolean();
    Runnable giveBack =
        () -> {
          if (givenBack.compareAndSet(false, true)) {
            lane.places.release();
          }
        };
    context.addHeadersEndHandler(ignored -> giveBack.run());
    try {
      lane.pool.execute(
          () -> {
            try {
              continueWithRequestId(context);
            } finally {
              giveBack.run();
            }
          });
    } catch (RejectedExecutionException e) {
      giveBack.run();
      shed(lane, context, full);
    }
  }

  private static void shed(Lane lane, RoutingContext context, String full) {
    context.fail(
        new ServerBusyException(
            "The server is busy: "
                + (lane.pool.isShutdown() ? "it is shutting down" : full)
                + "; retry after "
                + RETRY_AFTER_SECONDS
                + " s",
            RETRY_AFTER_SECONDS));
  }

  /**
   * Continues the chain on this pool thread with the request's id in the logging context (it was
   * put there on the event loop, another thread), and leaves the thread's context clean afterwards.
   */
  private static void continueWithRequestId(RoutingContext context) {
    String requestId = context.get(RequestLog.MDC_KEY);
    if (requestId != null) {
      MDC.put(RequestLog.MDC_KEY, requestId);
    }
    try {
      context.next();
    } finally {
      MDC.remove(RequestLog.MDC_KEY);
      RunLogContext.clear();
    }
  }

  /** Stops taking requests and lets the running ones finish for a while. */
  @Override
  public void close() {
    requests.pool.shutdown();
    evaluations.pool.shutdown();
    try {
      if (!evaluations.pool.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
        evaluations.pool.shutdownNow();
      }
      if (!requests.pool.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
        requests.pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      requests.pool.shutdownNow();
      evaluations.pool.shutdownNow();
    }
  }

  /**
   * A pool and its places: a request takes a place ({@code threads + queue} in all) before it is
   * handed to the pool, and is shed when none is free. The pool's own queue has room for the
   * requests holding places plus those whose place was given back while their thread finishes, so
   * it refuses only when the server is shutting down.
   */
  private static final class Lane {
    final ThreadPoolExecutor pool;
    final Semaphore places;

    Lane(String namePrefix, int threads, int queue) {
      this.places = new Semaphore(threads + queue);
      this.pool =
          new ThreadPoolExecutor(
              threads,
              threads,
              60,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(queue + threads),
              daemonThreads(namePrefix),
              new ThreadPoolExecutor.AbortPolicy());
      pool.allowCoreThreadTimeOut(true);
    }
  }

  private static ThreadFactory daemonThreads(String namePrefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, namePrefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}

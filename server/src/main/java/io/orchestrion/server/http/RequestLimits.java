package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How much blocking work the HTTP server takes on at once (docs/configuration.md). API requests run
 * off the event loop on the request pool; those that may run an evaluation pass inline (submit,
 * decide, record writes, events, resume, retry...) continue on the smaller evaluation pool of
 * platform threads, so that CPU-bound flows cannot starve the event loop and the other requests.
 * Past a pool's threads and queue the server answers 429 with {@code Retry-After}.
 *
 * @param requestThreads API requests served at once
 * @param requestQueue API requests waiting for a request thread
 * @param evaluationThreads requests that may run synchronous evaluation, at once
 * @param evaluationQueue such requests waiting for an evaluation thread
 * @param synchronousTimeBudget wall-clock budget of the synchronous steps of one evaluation pass,
 *     which the server gives the engine ({@code EngineConfig.synchronousTimeBudget}): a request's
 *     inline flows end in step ERROR past it, and the caller gets its answer
 */
public record RequestLimits(
    int requestThreads,
    int requestQueue,
    int evaluationThreads,
    int evaluationQueue,
    Duration synchronousTimeBudget) {
  public static final int DEFAULT_REQUEST_THREADS = 32;
  public static final int DEFAULT_REQUEST_QUEUE = 256;
  public static final int DEFAULT_EVALUATION_QUEUE = 16;
  public static final Duration DEFAULT_SYNCHRONOUS_TIME_BUDGET = Duration.ofSeconds(5);

  public RequestLimits {
    if (requestThreads < 1) {
      throw new IllegalArgumentException("requestThreads must be positive: " + requestThreads);
    }
    if (requestQueue < 0) {
      throw new IllegalArgumentException("requestQueue must not be negative: " + requestQueue);
    }
    if (evaluationThreads < 1) {
      throw new IllegalArgumentException(
          "evaluationThreads must be positive: " + evaluationThreads);
    }
    if (evaluationQueue < 0) {
      throw new IllegalArgumentException(
          "evaluationQueue must not be negative: " + evaluationQueue);
    }
    requireNonNull(synchronousTimeBudget, "synchronousTimeBudget is null");
    if (synchronousTimeBudget.isNegative() || synchronousTimeBudget.isZero()) {
      throw new IllegalArgumentException(
          "synchronousTimeBudget must be positive: " + synchronousTimeBudget);
    }
  }

  /** Cores − 1 evaluation threads (at least one): a core stays free for everything else. */
  public static int defaultEvaluationThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
  }

  public static RequestLimits defaults() {
    return new RequestLimits(
        DEFAULT_REQUEST_THREADS,
        DEFAULT_REQUEST_QUEUE,
        defaultEvaluationThreads(),
        DEFAULT_EVALUATION_QUEUE,
        DEFAULT_SYNCHRONOUS_TIME_BUDGET);
  }

  public RequestLimits withEvaluationPool(int threads, int queue) {
    return new RequestLimits(requestThreads, requestQueue, threads, queue, synchronousTimeBudget);
  }

  public RequestLimits withRequestPool(int threads, int queue) {
    return new RequestLimits(
        threads, queue, evaluationThreads, evaluationQueue, synchronousTimeBudget);
  }

  public RequestLimits withSynchronousTimeBudget(Duration budget) {
    return new RequestLimits(
        requestThreads, requestQueue, evaluationThreads, evaluationQueue, budget);
  }
}

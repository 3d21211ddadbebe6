package io.orchestrion.server.crash;

import io.orchestrion.server.testing.ApiResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the clients received, counted across threads: answers by class, the first few 5xx and
 * unexpected answers in full, requests that timed out and connections the dying server dropped.
 */
final class HttpOutcomes {
  private static final int SAMPLES = 10;

  private final AtomicInteger successes = new AtomicInteger();
  private final AtomicInteger serverErrors = new AtomicInteger();
  private final AtomicInteger unexpected = new AtomicInteger();
  private final AtomicInteger timeouts = new AtomicInteger();
  private final AtomicInteger lostConnections = new AtomicInteger();
  private final List<String> samples = new ArrayList<>();

  /** Counts {@code response} and returns it. */
  ApiResponse record(String request, ApiResponse response) {
    int status = response.status();
    if (status >= 200 && status < 300) {
      successes.incrementAndGet();
    } else if (status >= 500) {
      serverErrors.incrementAndGet();
      sample(request + " -> " + response);
    } else {
      unexpected.incrementAndGet();
      sample(request + " -> " + response);
    }
    return response;
  }

  void timedOut(String request) {
    timeouts.incrementAndGet();
    sample("timed out: " + request);
  }

  void lostConnection() {
    lostConnections.incrementAndGet();
  }

  int serverErrors() {
    return serverErrors.get();
  }

  int unexpected() {
    return unexpected.get();
  }

  int timeouts() {
    return timeouts.get();
  }

  private synchronized void sample(String text) {
    if (samples.size() < SAMPLES) {
      samples.add(text);
    }
  }

  @Override
  public synchronized String toString() {
    return "HTTP outcomes: %d 2xx, %d 5xx, %d other non-2xx, %d timed out, %d connections lost by kills; first problems: %s"
        .formatted(
            successes.get(),
            serverErrors.get(),
            unexpected.get(),
            timeouts.get(),
            lostConnections.get(),
            samples);
  }
}

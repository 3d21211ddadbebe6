package io.orchestrion.server.crash;

import static java.util.Objects.requireNonNull;

import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few hundred submissions (each: create an Expense record, then submit it) sent by several client
 * threads to whichever child server is up. A gate stands before each submission: {@link
 * #closeGate()} parks every client after its current request; {@link #openGate} lets them go on
 * against a (restarted) server. A request that fails because the server died is not retried: its
 * outcome is unknown, so it counts only as a lost connection. Every 2xx submission is an
 * acknowledgement, which the server must keep.
 */
final class SubmissionBurst {
  /** An acknowledged submission: the server answered 201 with these ids. */
  record Acknowledgement(String submissionId, String runId, int serverGeneration) {}

  private final int submissions;
  private final List<Thread> clients = new ArrayList<>();
  private final AtomicInteger tickets = new AtomicInteger();
  private final ConcurrentLinkedQueue<Acknowledgement> acknowledged = new ConcurrentLinkedQueue<>();
  private final HttpOutcomes outcomes;
  private final Object gate = new Object();
  private Optional<ApiClient> api = Optional.empty();
  private int generation;
  private int parked;
  private int running;

  SubmissionBurst(int submissions, int clientCount, HttpOutcomes outcomes) {
    this.submissions = submissions;
    this.outcomes = requireNonNull(outcomes, "outcomes is null");
    for (int i = 0; i < clientCount; i++) {
      clients.add(Thread.ofPlatform().name("crash-client-" + i).unstarted(this::submitUntilDone));
    }
    running = clientCount;
  }

  /** Lets the clients submit to {@code client}'s server (starting them the first time). */
  void openGate(ApiClient client) {
    synchronized (gate) {
      api = Optional.of(client);
      generation++;
      gate.notifyAll();
    }
    for (Thread thread : clients) {
      if (thread.getState() == Thread.State.NEW) {
        thread.start();
      }
    }
  }

  /** Parks each client before its next submission; requests in flight go on. */
  void closeGate() {
    synchronized (gate) {
      api = Optional.empty();
    }
  }

  /** Closes the gate and waits until no request is in flight any more. */
  void closeGateAndAwaitQuiet(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (gate) {
      api = Optional.empty();
      while (parked < running) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "Clients still busy after " + timeout + ": " + (running - parked) + " of them");
        }
        gate.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Waits until at least {@code count} submissions are acknowledged (or the burst ends). */
  void awaitAcknowledged(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (acknowledged.size() < count && !isDone()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Only "
                + acknowledged.size()
                + " of the "
                + count
                + " expected acknowledgements within "
                + timeout
                + "; "
                + outcomes);
      }
      Thread.sleep(5);
    }
  }

  /** Waits for every client to finish its tickets. */
  void awaitDone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : clients) {
      thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (thread.isAlive()) {
        throw new AssertionError("The burst did not end within " + timeout + "; " + outcomes);
      }
    }
  }

  boolean isDone() {
    synchronized (gate) {
      return running == 0;
    }
  }

  List<Acknowledgement> acknowledged() {
    return List.copyOf(acknowledged);
  }

  private void submitUntilDone() {
    try {
      while (true) {
        Passage passage = pass();
        if (tickets.getAndIncrement() >= submissions) {
          return;
        }
        submitOne(passage);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (gate) {
        running--;
        gate.notifyAll();
      }
    }
  }

  private record Passage(ApiClient client, int generation) {}

  private Passage pass() throws InterruptedException {
    synchronized (gate) {
      parked++;
      gate.notifyAll();
      try {
        while (api.isEmpty()) {
          gate.wait();
        }
        return new Passage(api.get(), generation);
      } finally {
        parked--;
      }
    }
  }

  private void submitOne(Passage passage) {
    try {
      ApiResponse record =
          outcomes.record(
              "POST /api/v1/records/Expense",
              passage
                  .client()
                  .post("/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD)));
      if (record.status() != 201) {
        return;
      }
      String body =
          "{\"objectType\": \"Expense\", \"recordId\": \""
              + record.json().path("id").asText()
              + "\", \"orchestration\": \"Expense_Approval\"}";
      ApiResponse submitted =
          outcomes.record(
              "POST /api/v1/submissions", passage.client().post("/api/v1/submissions", body));
      if (submitted.status() == 201) {
        acknowledged.add(
            new Acknowledgement(
                submitted.json().path("id").asText(),
                submitted.json().path("runId").asText(),
                passage.generation()));
      }
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof HttpTimeoutException) {
        outcomes.timedOut(e.getMessage() + ": " + e.getCause());
      } else {
        outcomes.lostConnection();
      }
    }
  }
}

package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.orchestrion.server.http.Readiness.Check;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/**
 * Runs the {@link Readiness} checks for {@code /health/ready} without blocking the event loop: the
 * local checks inline, the database check on one dedicated thread (not a request pool), with a
 * timeout of {@link #DATABASE_TIMEOUT}. Probes that arrive while a database check is running share
 * it, so a slow database never piles up probe threads.
 */
public final class ReadinessProbe implements AutoCloseable {
  public static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(2);

  private final Readiness readiness;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "orchestrion-readiness");
            thread.setDaemon(true);
            return thread;
          });
  private CompletableFuture<Check> running;

  @Inject
  public ReadinessProbe(Readiness readiness) {
    this.readiness = requireNonNull(readiness, "readiness is null");
  }

  /** Every check, the database's last; completes within about {@link #DATABASE_TIMEOUT}. */
  public CompletableFuture<List<Check>> probe() {
    List<Check> local = readiness.localChecks();
    return databaseCheck()
        .orTimeout(DATABASE_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .exceptionally(ReadinessProbe::failedDatabaseCheck)
        .thenApply(
            database -> {
              List<Check> checks = new ArrayList<>(local);
              checks.add(database);
              return List.copyOf(checks);
            });
  }

  private synchronized CompletableFuture<Check> databaseCheck() {
    if (running == null || running.isDone()) {
      running = CompletableFuture.supplyAsync(readiness::databaseCheck, executor);
    }
    // A copy: one caller's timeout must not complete the shared check for the others.
    return running.copy();
  }

  private static Check failedDatabaseCheck(Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof TimeoutException) {
      return Check.down(
          "database", "no answer within " + DATABASE_TIMEOUT.toMillis() + " ms (pool or database)");
    }
    return Check.down("database", cause.toString());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

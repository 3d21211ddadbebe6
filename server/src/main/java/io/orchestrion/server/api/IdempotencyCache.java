package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import jakarta.inject.Inject;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Remembers the first response to a request sent with an {@code Idempotency-Key} (SPEC §12), per
 * user and key, so that a client may retry a create without creating twice. A concurrent retry
 * waits for the first request to finish. In memory and bounded: a restart, another node, or {@value
 * #MAX_ENTRIES} newer keys make the server forget a key (documented in docs/api.md).
 */
public final class IdempotencyCache {
  static final int MAX_ENTRIES = 10_000;

  /** What is replayed: the status and the body object. */
  public record StoredResponse(int status, Object body) {
    public StoredResponse {
      requireNonNull(body, "body is null");
    }
  }

  private record Key(String userId, String key) {}

  private record Entry(String requestFingerprint, CompletableFuture<StoredResponse> response) {}

  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final Queue<Key> insertionOrder = new ConcurrentLinkedQueue<>();

  @Inject
  public IdempotencyCache() {}

  /**
   * Runs {@code action} once per (user, key); later calls get its response. A failed first attempt
   * is forgotten, so that it can be retried.
   *
   * @param requestFingerprint the request body; a different body under the same key is a conflict
   */
  public StoredResponse execute(
      String userId, String key, String requestFingerprint, Supplier<StoredResponse> action) {
    Key entryKey = new Key(userId, key);
    Entry mine = new Entry(requestFingerprint, new CompletableFuture<>());
    Entry existing = entries.putIfAbsent(entryKey, mine);
    if (existing != null) {
      if (!existing.requestFingerprint().equals(requestFingerprint)) {
        throw new OrchestrionException(
            StandardErrorCode.CONFLICT,
            "Idempotency-Key '" + key + "' was already used with a different request body");
      }
      return awaitFirst(existing.response());
    }
    try {
      StoredResponse response = action.get();
      mine.response().complete(response);
      insertionOrder.add(entryKey);
      evictOldest();
      return response;
    } catch (RuntimeException e) {
      entries.remove(entryKey, mine);
      mine.response().completeExceptionally(e);
      throw e;
    }
  }

  int size() {
    return entries.size();
  }

  private static StoredResponse awaitFirst(CompletableFuture<StoredResponse> first) {
    try {
      return first.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void evictOldest() {
    while (insertionOrder.size() > MAX_ENTRIES) {
      Key oldest = insertionOrder.poll();
      if (oldest == null) {
        return;
      }
      entries.remove(oldest);
    }
  }
}

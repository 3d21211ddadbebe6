package io.orchestrion.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.server.api.IdempotencyCache.StoredResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdempotencyCacheTest {
  private final IdempotencyCache cache = new IdempotencyCache();
  private final AtomicInteger calls = new AtomicInteger();

  @Test
  void repeatsTheFirstResponsePerUserAndKey() {
    StoredResponse first = cache.execute("admin", "k1", "body", this::create);
    StoredResponse second = cache.execute("admin", "k1", "body", this::create);
    assertThat(second).isSameAs(first);
    assertThat(calls).hasValue(1);
    cache.execute("someone-else", "k1", "body", this::create);
    cache.execute("admin", "k2", "body", this::create);
    assertThat(calls).hasValue(3);
  }

  @Test
  void sameKeyWithAnotherBodyIsAConflict() {
    cache.execute("admin", "k1", "body", this::create);
    assertThatThrownBy(() -> cache.execute("admin", "k1", "other body", this::create))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("'k1'");
  }

  @Test
  void failedAttemptsAreForgotten() {
    assertThatThrownBy(
            () ->
                cache.execute(
                    "admin",
                    "k1",
                    "body",
                    () -> {
                      throw new OrchestrionException(StandardErrorCode.CONFLICT, "busy");
                    }))
        .hasMessage("busy");
    assertThat(cache.execute("admin", "k1", "body", this::create).status()).isEqualTo(201);
  }

  @Test
  void isBounded() {
    for (int i = 0; i < IdempotencyCache.MAX_ENTRIES + 10; i++) {
      cache.execute("admin", "k" + i, "body", this::create);
    }
    assertThat(cache.size()).isEqualTo(IdempotencyCache.MAX_ENTRIES);
  }

  private StoredResponse create() {
    return new StoredResponse(201, "submission-" + calls.incrementAndGet());
  }
}

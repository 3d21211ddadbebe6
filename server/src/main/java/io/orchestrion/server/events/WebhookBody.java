package io.orchestrion.server.events;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.engine.api.WebhookRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /webhooks} and {@code PUT /webhooks/{id}}: {@code url}, {@code kinds}
 * (absent or empty: every kind), {@code filters} ({@code objectType}, {@code runId}, {@code
 * submissionId}), {@code secret} (write-only; required to create, absent keeps it), {@code enabled}
 * (default true).
 */
public record WebhookBody(
    String url, List<EventKind> kinds, Filters filters, String secret, Boolean enabled) {
  /** Which events, besides their kind. */
  public record Filters(String objectType, String runId, String submissionId) {}

  WebhookRequest toRequest() {
    if (kinds != null && kinds.contains(null)) {
      int index = kinds.indexOf(null);
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_REQUEST,
          "Invalid webhook",
          List.of(new Problem("$.kinds[" + index + "]", "expected an event kind, not null")));
    }
    Optional<Filters> given = Optional.ofNullable(filters);
    return new WebhookRequest(
        url == null ? "" : url,
        kinds == null ? Set.of() : Set.copyOf(kinds),
        given.map(Filters::objectType),
        given.map(Filters::runId),
        given.map(Filters::submissionId),
        Optional.ofNullable(secret),
        enabled == null || enabled);
  }
}

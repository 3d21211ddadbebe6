package io.orchestrion.server.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The body of {@code POST /runs/{id}/events}: a free-form payload, empty when omitted. */
public record ManualEventBody(Map<String, Object> payload) {
  public ManualEventBody {
    payload =
        payload == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(payload));
  }
}

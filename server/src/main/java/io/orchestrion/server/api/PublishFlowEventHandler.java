package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.FlowEventService;
import io.orchestrion.engine.api.FlowEvent;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /flow-events}: resumes the flow interviews whose Wait waits for the event's name and
 * correlation key; 202 with how many it resumed (0 when none waits: events are not kept).
 */
public final class PublishFlowEventHandler implements Handler<RoutingContext> {
  private final FlowEventService flowEvents;
  private final JsonBodies json;

  /** The request body; a missing name or key is reported by the service with its JSON path. */
  public record Body(String name, String correlationKey, Map<String, Object> payload) {
    public Body {
      name = name == null ? "" : name;
      correlationKey = correlationKey == null ? "" : correlationKey;
      payload =
          payload == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }
  }

  /** The response body. */
  public record Published(int resumed) {}

  @Inject
  public PublishFlowEventHandler(FlowEventService flowEvents, JsonBodies json) {
    this.flowEvents = requireNonNull(flowEvents, "flowEvents is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    Body body = json.read(context, Body.class, "Flow event", StandardErrorCode.INVALID_REQUEST);
    int resumed =
        flowEvents.publish(new FlowEvent(body.name(), body.correlationKey(), body.payload()));
    json.respond(context, 202, new Published(resumed));
  }
}

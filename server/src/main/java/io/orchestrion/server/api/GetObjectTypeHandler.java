package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.engine.ObjectTypeService;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code GET /object-types/{apiName}}. */
public final class GetObjectTypeHandler implements Handler<RoutingContext> {
  private final ObjectTypeService objectTypes;
  private final JsonBodies json;

  @Inject
  public GetObjectTypeHandler(ObjectTypeService objectTypes, JsonBodies json) {
    this.objectTypes = requireNonNull(objectTypes, "objectTypes is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String apiName = context.pathParam("apiName");
    json.respond(
        context,
        200,
        objectTypes
            .find(apiName)
            .orElseThrow(() -> OrchestrionException.notFound("Object type '" + apiName + "'")));
  }
}

package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.ObjectTypeService;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code GET /object-types}: every object type, by api name (not paginated: they are few). */
public final class ListObjectTypesHandler implements Handler<RoutingContext> {
  private final ObjectTypeService objectTypes;
  private final JsonBodies json;

  @Inject
  public ListObjectTypesHandler(ObjectTypeService objectTypes, JsonBodies json) {
    this.objectTypes = requireNonNull(objectTypes, "objectTypes is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    json.respond(context, 200, ListResponse.of(objectTypes.list()));
  }
}

package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.engine.ObjectTypeService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.List;

/** {@code PUT /object-types/{apiName}}: creates (201) or changes (200) an object type. */
public final class PutObjectTypeHandler implements Handler<RoutingContext> {
  private final ObjectTypeService objectTypes;
  private final JsonBodies json;

  @Inject
  public PutObjectTypeHandler(ObjectTypeService objectTypes, JsonBodies json) {
    this.objectTypes = requireNonNull(objectTypes, "objectTypes is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String apiName = context.pathParam("apiName");
    ObjectTypeDefinition definition =
        json.read(
            context,
            ObjectTypeDefinition.class,
            "Object type definition",
            StandardErrorCode.INVALID_DEFINITION);
    if (!definition.apiName().equals(apiName)) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "The body's apiName '"
              + definition.apiName()
              + "' differs from the path's '"
              + apiName
              + "'",
          List.of(new Problem("$.apiName", "must be '" + apiName + "' as in the path")));
    }
    boolean existed = objectTypes.find(apiName).isPresent();
    ObjectTypeDefinition defined = objectTypes.define(Permissions.userMode(context), definition);
    json.respond(context, existed ? 200 : 201, defined);
  }
}

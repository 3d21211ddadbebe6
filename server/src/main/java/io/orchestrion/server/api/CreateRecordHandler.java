package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.object.RecordData;
import io.orchestrion.engine.RecordService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.Map;

/** {@code POST /records/{objectType}}: body is the field values; 201 with the new record. */
public final class CreateRecordHandler implements Handler<RoutingContext> {
  private final RecordService records;
  private final JsonBodies json;

  @Inject
  public CreateRecordHandler(RecordService records, JsonBodies json) {
    this.records = requireNonNull(records, "records is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String objectType = context.pathParam("objectType");
    Map<String, Object> fields = json.readObject(context, "Record fields");
    RecordData created = records.create(objectType, fields, Permissions.userMode(context));
    RecordResponse response = RecordResponse.of(created);
    context
        .response()
        .putHeader(HttpHeaders.LOCATION, ApiRoutes.recordPath(objectType, response.id()))
        .putHeader(HttpHeaders.ETAG, RecordVersions.etag(response.version()));
    json.respond(context, 201, response);
  }
}

package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.RecordService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code GET /records/{objectType}/{id}}; the ETag is the record's version. */
public final class GetRecordHandler implements Handler<RoutingContext> {
  private final RecordService records;
  private final JsonBodies json;

  @Inject
  public GetRecordHandler(RecordService records, JsonBodies json) {
    this.records = requireNonNull(records, "records is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    RecordResponse response =
        RecordResponse.of(
            records.get(
                context.pathParam("objectType"),
                context.pathParam("id"),
                Permissions.userMode(context)));
    context.response().putHeader(HttpHeaders.ETAG, RecordVersions.etag(response.version()));
    json.respond(context, 200, response);
  }
}

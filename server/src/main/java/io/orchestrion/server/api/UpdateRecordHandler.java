package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.RecordService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;

/**
 * {@code PATCH /records/{objectType}/{id}}: body is the changed fields. With {@code If-Match:
 * <version>} the update is refused (409) unless the record still has that version.
 */
public final class UpdateRecordHandler implements Handler<RoutingContext> {
  private final RecordService records;
  private final JsonBodies json;

  @Inject
  public UpdateRecordHandler(RecordService records, JsonBodies json) {
    this.records = requireNonNull(records, "records is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    Optional<Long> expectedVersion =
        RecordVersions.parseIfMatch(context.request().getHeader(HttpHeaders.IF_MATCH));
    Map<String, Object> changes = json.readObject(context, "Record changes");
    RecordResponse response =
        RecordResponse.of(
            records.update(
                context.pathParam("objectType"),
                context.pathParam("id"),
                changes,
                expectedVersion,
                Permissions.userMode(context)));
    context.response().putHeader(HttpHeaders.ETAG, RecordVersions.etag(response.version()));
    json.respond(context, 200, response);
  }
}

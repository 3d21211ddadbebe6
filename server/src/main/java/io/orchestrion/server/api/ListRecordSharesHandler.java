package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.RecordShareService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code GET /records/{objectType}/{id}/shares}: the record's explicit shares by grantee
 * (MANAGE_USERS or full access to the record: the engine decides).
 */
public final class ListRecordSharesHandler implements Handler<RoutingContext> {
  private final RecordShareService shares;
  private final JsonBodies json;

  @Inject
  public ListRecordSharesHandler(RecordShareService shares, JsonBodies json) {
    this.shares = requireNonNull(shares, "shares is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String objectType = context.pathParam("objectType");
    String recordId = context.pathParam("id");
    json.respond(
        context,
        200,
        ListResponse.of(shares.shares(Permissions.userMode(context), objectType, recordId)));
  }
}

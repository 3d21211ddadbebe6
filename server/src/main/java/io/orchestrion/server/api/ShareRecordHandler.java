package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.RecordShareService;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.orchestrion.spi.directory.RecordShare;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.List;

/**
 * {@code POST /records/{objectType}/{id}/shares} {@code {granteeType, granteeId, access}}: shares
 * the record; 201 for a new grantee, 200 when it replaces the access level of an earlier share to
 * the same grantee. A share is identified by its grantee: {@code Location} is {@code
 * .../shares/{granteeType}/{granteeId}}.
 */
public final class ShareRecordHandler implements Handler<RoutingContext> {
  private final RecordShareService shares;
  private final JsonBodies json;

  @Inject
  public ShareRecordHandler(RecordShareService shares, JsonBodies json) {
    this.shares = requireNonNull(shares, "shares is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String objectType = context.pathParam("objectType");
    String recordId = context.pathParam("id");
    SecurityContext caller = Permissions.userMode(context);
    // The engine checks the caller first (403/404 before a body is read).
    List<RecordShare> before = shares.shares(caller, objectType, recordId);
    RecordShare share =
        json.read(context, ShareBody.class, "Share", StandardErrorCode.INVALID_REQUEST)
            .toShare(objectType, recordId);
    boolean existed =
        before.stream()
            .anyMatch(
                s ->
                    s.granteeType() == share.granteeType()
                        && s.granteeId().equals(share.granteeId()));
    RecordShare saved = shares.share(caller, share);
    context
        .response()
        .putHeader(
            HttpHeaders.LOCATION,
            DirectoryRoutes.sharePath(
                objectType, recordId, saved.granteeType(), saved.granteeId()));
    json.respond(context, existed ? 200 : 201, saved);
  }
}

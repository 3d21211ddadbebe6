package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.RecordShareService;
import io.orchestrion.server.http.Permissions;
import io.orchestrion.spi.directory.RecordShare;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;

/**
 * {@code DELETE /records/{objectType}/{id}/shares/{granteeType}/{granteeId}}: removes the share to
 * that grantee; 204, 404 when there is none.
 */
public final class UnshareRecordHandler implements Handler<RoutingContext> {
  private final RecordShareService shares;

  @Inject
  public UnshareRecordHandler(RecordShareService shares) {
    this.shares = requireNonNull(shares, "shares is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String objectType = context.pathParam("objectType");
    String recordId = context.pathParam("id");
    shares.unshare(
        Permissions.userMode(context),
        objectType,
        recordId,
        granteeType(context.pathParam("granteeType")),
        context.pathParam("granteeId"));
    context.response().setStatusCode(204).end();
  }

  private static RecordShare.GranteeType granteeType(String text) {
    try {
      return RecordShare.GranteeType.valueOf(text);
    } catch (IllegalArgumentException e) {
      String message = "must be one of " + Arrays.toString(RecordShare.GranteeType.values());
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "Path parameter 'granteeType' " + message + ", was '" + text + "'",
          List.of(new Problem("path.granteeType", message)));
    }
  }
}

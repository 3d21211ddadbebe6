package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.SubmissionService;
import io.orchestrion.engine.SubmissionView;
import io.orchestrion.server.api.IdempotencyCache.StoredResponse;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code POST /submissions}: submits a record for approval and starts its run; 201 with the
 * submission. Synchronous background steps have already run when this returns. Honours {@code
 * Idempotency-Key}.
 */
public final class CreateSubmissionHandler implements Handler<RoutingContext> {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final SubmissionService submissions;
  private final IdempotencyCache idempotency;
  private final JsonBodies json;

  @Inject
  public CreateSubmissionHandler(
      SubmissionService submissions, IdempotencyCache idempotency, JsonBodies json) {
    this.submissions = requireNonNull(submissions, "submissions is null");
    this.idempotency = requireNonNull(idempotency, "idempotency is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String userId = AuthenticatedUser.of(context).userId();
    SubmissionRequestBody body =
        json.read(
            context,
            SubmissionRequestBody.class,
            "Submission request",
            StandardErrorCode.INVALID_REQUEST);
    String key = context.request().getHeader(IDEMPOTENCY_KEY);
    StoredResponse response =
        key == null || key.isBlank()
            ? submit(body, context)
            : idempotency.execute(userId, key.trim(), body.toString(), () -> submit(body, context));
    SubmissionView submission = (SubmissionView) response.body();
    context
        .response()
        .putHeader(HttpHeaders.LOCATION, ApiRoutes.PREFIX + "/submissions/" + submission.id());
    json.respond(context, response.status(), submission);
  }

  private StoredResponse submit(SubmissionRequestBody body, RoutingContext context) {
    // USER mode: the caller must be able to read the record they submit (SPEC §7).
    SubmissionView submission =
        submissions.submit(body.toSubmitRequest(), Permissions.userMode(context));
    return new StoredResponse(201, submission);
  }
}

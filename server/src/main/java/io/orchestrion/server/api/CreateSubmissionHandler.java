package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.SubmissionService;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * {@code POST /submissions}: submits a record for approval and starts its run; 201 with the
 * submission. Synchronous background steps have already run when this returns. Honours {@code
 * Idempotency-Key}: the engine stores the key with the submission, in the same transaction, and a
 * repeated request gets 201 with that submission (SPEC §12).
 */
public final class CreateSubmissionHandler implements Handler<RoutingContext> {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final SubmissionService submissions;
  private final JsonBodies json;

  @Inject
  public CreateSubmissionHandler(SubmissionService submissions, JsonBodies json) {
    this.submissions = requireNonNull(submissions, "submissions is null");
    this.json = requireNonNull(json, "json is null");
  }

  /** The {@code Idempotency-Key} header, if the request has a non-blank one. */
  static Optional<String> idempotencyKey(RoutingContext context) {
    return Optional.ofNullable(context.request().getHeader(IDEMPOTENCY_KEY))
        .filter(key -> !key.isBlank());
  }

  /** Whether the request has an {@code Idempotency-Key}: the engine then runs its command alone. */
  static boolean isKeyed(RoutingContext context) {
    return idempotencyKey(context).isPresent();
  }

  @Override
  public void handle(RoutingContext context) {
    SubmissionRequestBody body =
        json.read(
            context,
            SubmissionRequestBody.class,
            "Submission request",
            StandardErrorCode.INVALID_REQUEST);
    // USER mode: the caller must be able to read the record they submit (SPEC §7).
    SubmissionView submission =
        submissions.submit(
            body.toSubmitRequest(), Permissions.userMode(context), idempotencyKey(context));
    context
        .response()
        .putHeader(HttpHeaders.LOCATION, ApiRoutes.PREFIX + "/submissions/" + submission.id());
    json.respond(context, 201, submission);
  }
}

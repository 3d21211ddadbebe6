package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.ErrorCode;
import io.orchestrion.api.ErrorType;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler of the API: turns whatever went wrong into an {@code
 * application/problem+json} response. {@link #httpStatus(ErrorCode)} is the only place where error
 * types become HTTP statuses. Internal errors are logged with their detail; the client only gets a
 * reference to find the log entry.
 */
public final class ProblemFailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemFailureHandler.class);

  private final ObjectMapper objectMapper;
  private final HttpSettings settings;

  @Inject
  public ProblemFailureHandler(ObjectMapper objectMapper, HttpSettings settings) {
    this.objectMapper = requireNonNull(objectMapper, "objectMapper is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  /** Maps an error code to its HTTP status (SPEC §12). */
  public static int httpStatus(ErrorCode code) {
    if (code.name().equals(StandardErrorCode.INVALID_DEFINITION.name())) {
      return 422;
    }
    if (code.name().equals(StandardErrorCode.REQUEST_TOO_LARGE.name())) {
      return 413;
    }
    if (code.name().equals(StandardErrorCode.UNAUTHENTICATED.name())) {
      return 401;
    }
    return switch (code.type()) {
      case USER_ERROR -> 400;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case PERMISSION_DENIED -> 403;
      case EXTERNAL -> 502;
      case INTERNAL_ERROR -> 500;
    };
  }

  @Override
  public void handle(RoutingContext context) {
    if (context.response().headWritten()) {
      // Too late for a problem document; the client sees a truncated response.
      LOG.warn("Failure after the response started: {}", describe(context), context.failure());
      context.response().reset();
      return;
    }
    ProblemDocument problem = toProblem(context);
    if (problem.status() == 401) {
      context.response().putHeader("WWW-Authenticate", "Bearer realm=\"orchestrion\"");
    }
    if (context.failure() instanceof ServerBusyException busy) {
      context.response().putHeader("Retry-After", Integer.toString(busy.retryAfterSeconds()));
    }
    String body;
    try {
      body = objectMapper.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      LOG.error("Cannot serialise a problem document", e);
      body = "{\"status\":" + problem.status() + "}";
    }
    context
        .response()
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, ProblemDocument.CONTENT_TYPE)
        .end(body);
  }

  private ProblemDocument toProblem(RoutingContext context) {
    Throwable failure = context.failure();
    if (failure instanceof OrchestrionException e) {
      return fromException(e, context);
    }
    if (failure instanceof ServerBusyException e) {
      return ProblemDocument.of(429, "SERVER_BUSY", e.getMessage(), List.of());
    }
    int status = context.statusCode();
    if (failure instanceof HttpException e) {
      status = e.getStatusCode();
    } else if (failure != null) {
      return internalError(failure, context);
    }
    return switch (status) {
      case 400 -> ProblemDocument.of(400, "INVALID_REQUEST", "The request is malformed", List.of());
      case 401 ->
          ProblemDocument.of(401, "UNAUTHENTICATED", "A valid bearer token is required", List.of());
      case 404 ->
          ProblemDocument.of(
              404,
              "NOT_FOUND",
              "No endpoint for "
                  + context.request().method()
                  + " '"
                  + context.request().path()
                  + "'",
              List.of());
      case 405 ->
          ProblemDocument.of(
              405,
              "METHOD_NOT_ALLOWED",
              "Method "
                  + context.request().method()
                  + " is not allowed on '"
                  + context.request().path()
                  + "'",
              List.of());
      case 413 ->
          ProblemDocument.of(
              413,
              StandardErrorCode.REQUEST_TOO_LARGE.name(),
              "The request body is larger than the limit of " + settings.maxBodyBytes() + " bytes",
              List.of());
      case 415 ->
          ProblemDocument.of(415, "UNSUPPORTED_MEDIA_TYPE", "Send application/json", List.of());
      default -> {
        if (status >= 400 && status < 500) {
          yield ProblemDocument.of(status, "INVALID_REQUEST", "The request failed", List.of());
        }
        yield internalError(
            new IllegalStateException("Request failed with status " + status), context);
      }
    };
  }

  private ProblemDocument fromException(OrchestrionException e, RoutingContext context) {
    int status = httpStatus(e.getErrorCode());
    if (e.getErrorCode().type() == ErrorType.INTERNAL_ERROR) {
      return internalError(e, context);
    }
    if (status >= 500) {
      LOG.warn("{} failed: {}", describe(context), e.getMessage(), e);
    }
    return ProblemDocument.of(status, e.getErrorCode().name(), e.getMessage(), e.getProblems());
  }

  private static ProblemDocument internalError(Throwable failure, RoutingContext context) {
    String reference = UUID.randomUUID().toString();
    LOG.error("Internal error {} in {}", reference, describe(context), failure);
    return ProblemDocument.of(
        500,
        StandardErrorCode.INTERNAL_ERROR.name(),
        "An internal error occurred; the server log has the details under reference " + reference,
        List.of());
  }

  private static String describe(RoutingContext context) {
    return context.request().method() + " " + context.request().path();
  }
}

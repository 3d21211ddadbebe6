package io.orchestrion.server.api;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** The optional body of recall and cancel: {@code {comments}}. */
public record CommentsBody(Optional<String> comments) {
  public CommentsBody {
    comments = comments == null ? Optional.empty() : comments;
  }

  /** The request's comments; a request without a body has none. */
  static Optional<String> of(RoutingContext context, JsonBodies json, String what) {
    String text = context.body() == null ? null : context.body().asString();
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    return json.read(context, CommentsBody.class, what, StandardErrorCode.INVALID_REQUEST)
        .comments();
  }
}

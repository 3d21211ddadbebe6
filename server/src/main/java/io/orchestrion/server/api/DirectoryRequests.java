package io.orchestrion.server.api;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * Checks shared by the directory endpoints. The id in the path names the resource; a body may
 * repeat it as {@code id}, and then it must be the same (400 at {@code $.id} otherwise), so that a
 * body copied from a GET response can be sent back unchanged.
 */
final class DirectoryRequests {
  /** Directory ids are stored in VARCHAR(64) columns (engine-api's rule for directory ids). */
  static final int MAX_ID_LENGTH = 64;

  private DirectoryRequests() {}

  /** A path parameter naming a directory id: 1 to 64 characters, not blank. */
  static String pathId(RoutingContext context, String name) {
    String id = context.pathParam(name);
    if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH) {
      String message = "must be 1 to " + MAX_ID_LENGTH + " characters, not blank";
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "Path parameter '" + name + "' " + message + ", was '" + id + "'",
          List.of(new Problem("path." + name, message)));
    }
    return id;
  }

  /** Refuses a body whose {@code id} differs from the path's. */
  static void requireSameId(Optional<String> bodyId, String pathId, String what) {
    if (bodyId.isPresent() && !bodyId.get().equals(pathId)) {
      throw invalid(
          what + ": the body's id '" + bodyId.get() + "' differs from the path's '" + pathId + "'",
          "$.id",
          "must be '" + pathId + "' as in the path, or left out");
    }
  }

  static OrchestrionException invalid(String message, String path, String problem) {
    return new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST, message, List.of(new Problem(path, problem)));
  }
}

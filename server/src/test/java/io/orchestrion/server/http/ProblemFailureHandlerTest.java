package io.orchestrion.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.ErrorCode;
import io.orchestrion.api.ErrorType;
import io.orchestrion.api.StandardErrorCode;
import org.junit.jupiter.api.Test;

class ProblemFailureHandlerTest {
  @Test
  void mapsEveryStandardCodeToItsStatus() {
    assertThat(status(StandardErrorCode.INVALID_REQUEST)).isEqualTo(400);
    assertThat(status(StandardErrorCode.LIMIT_EXCEEDED)).isEqualTo(400);
    assertThat(status(StandardErrorCode.FLOW_FAULT)).isEqualTo(400);
    assertThat(status(StandardErrorCode.INVALID_DEFINITION)).isEqualTo(422);
    assertThat(status(StandardErrorCode.REQUEST_TOO_LARGE)).isEqualTo(413);
    assertThat(status(StandardErrorCode.NOT_FOUND)).isEqualTo(404);
    assertThat(status(StandardErrorCode.CONFLICT)).isEqualTo(409);
    assertThat(status(StandardErrorCode.STALE_VERSION)).isEqualTo(409);
    assertThat(status(StandardErrorCode.RECORD_LOCKED)).isEqualTo(409);
    assertThat(status(StandardErrorCode.UNAUTHENTICATED)).isEqualTo(401);
    assertThat(status(StandardErrorCode.PERMISSION_DENIED)).isEqualTo(403);
    assertThat(status(StandardErrorCode.INSUFFICIENT_ACCESS)).isEqualTo(403);
    assertThat(status(StandardErrorCode.PLUGIN_ERROR)).isEqualTo(502);
    assertThat(status(StandardErrorCode.EXTERNAL_ERROR)).isEqualTo(502);
    assertThat(status(StandardErrorCode.INTERNAL_ERROR)).isEqualTo(500);
  }

  @Test
  void pluginCodesMapByType() {
    assertThat(
            ProblemFailureHandler.httpStatus(new ErrorCode("MY_PLUGIN_BAD", ErrorType.USER_ERROR)))
        .isEqualTo(400);
    assertThat(
            ProblemFailureHandler.httpStatus(new ErrorCode("MY_PLUGIN_DOWN", ErrorType.EXTERNAL)))
        .isEqualTo(502);
  }

  @Test
  void problemDocumentTypeIsDerivedFromTheCode() {
    ProblemDocument problem =
        ProblemDocument.of(422, "INVALID_DEFINITION", "bad", java.util.List.of());
    assertThat(problem.type()).isEqualTo("urn:orchestrion:problem:invalid-definition");
    assertThat(problem.title()).isEqualTo("Unprocessable Content");
  }

  private static int status(StandardErrorCode code) {
    return ProblemFailureHandler.httpStatus(code.toErrorCode());
  }
}

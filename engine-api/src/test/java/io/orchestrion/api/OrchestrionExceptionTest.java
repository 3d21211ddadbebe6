package io.orchestrion.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OrchestrionExceptionTest {
  @Test
  void invalidSummarisesEveryProblemWithItsPath() {
    List<Problem> problems =
        List.of(
            new Problem("$.stages[0].steps[1].start.from", "\"9am\" is not a local time"),
            new Problem("$.name", "is required"));

    OrchestrionException exception =
        OrchestrionException.invalid(
            StandardErrorCode.INVALID_DEFINITION, "orchestration 'Discount'", problems);

    assertThat(exception.getMessage())
        .isEqualTo(
            "orchestration 'Discount': 2 problem(s): "
                + "$.stages[0].steps[1].start.from: \"9am\" is not a local time; "
                + "$.name: is required");
    assertThat(exception.getProblems()).isEqualTo(problems);
    assertThat(exception.getErrorCode())
        .isEqualTo(new ErrorCode("INVALID_DEFINITION", ErrorType.USER_ERROR));
  }

  @Test
  void invalidListsFiveProblemsAndCountsTheRest() {
    List<Problem> problems =
        IntStream.rangeClosed(1, 7).mapToObj(i -> new Problem("$.p" + i, "bad " + i)).toList();

    OrchestrionException exception =
        OrchestrionException.invalid(StandardErrorCode.INVALID_REQUEST, "flow 'f'", problems);

    assertThat(exception.getMessage())
        .isEqualTo(
            "flow 'f': 7 problem(s): $.p1: bad 1; $.p2: bad 2; $.p3: bad 3; $.p4: bad 4; "
                + "$.p5: bad 5 (and 2 more)");
    assertThat(exception.getProblems()).hasSize(7);
  }

  @Test
  void notFoundUsesTheNotFoundCode() {
    OrchestrionException exception = OrchestrionException.notFound("flow 'Missing'");

    assertThat(exception.getMessage()).isEqualTo("flow 'Missing' not found");
    assertThat(exception.getErrorCode().type()).isEqualTo(ErrorType.NOT_FOUND);
    assertThat(exception.getProblems()).isEmpty();
  }

  @Test
  void keepsTheCauseAndAcceptsAPluginErrorCode() {
    ErrorCodeSupplier pluginCode = () -> new ErrorCode("MAIL_SERVER_DOWN", ErrorType.EXTERNAL);
    IllegalStateException cause = new IllegalStateException("connection refused");

    OrchestrionException exception =
        new OrchestrionException(pluginCode, "plugin 'mail': cannot send", cause);

    assertThat(exception.getCause()).isSameAs(cause);
    assertThat(exception.getErrorCode().name()).isEqualTo("MAIL_SERVER_DOWN");
  }

  @Test
  void standardCodesCarryTheirNameAndType() {
    assertThat(StandardErrorCode.STALE_VERSION.toErrorCode())
        .isEqualTo(new ErrorCode("STALE_VERSION", ErrorType.CONFLICT));
    assertThat(StandardErrorCode.PLUGIN_ERROR.toErrorCode().type()).isEqualTo(ErrorType.EXTERNAL);
  }
}

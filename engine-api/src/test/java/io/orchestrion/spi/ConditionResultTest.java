package io.orchestrion.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConditionResultTest {
  private static final Instant OPENING = Instant.parse("2025-03-03T08:00:00Z");

  @Test
  void metHasNoRecheckTime() {
    ConditionResult result = ConditionResult.met("inside the window");

    assertThat(result.met()).isTrue();
    assertThat(result.recheckAt()).isEmpty();
    assertThat(result.explanation()).isEqualTo("inside the window");
  }

  @Test
  void notMetWithoutRecheckWaitsForAnEvent() {
    ConditionResult result = ConditionResult.notMet("step 'Review' is IN_PROGRESS");

    assertThat(result.met()).isFalse();
    assertThat(result.recheckAt()).isEmpty();
  }

  @Test
  void notMetUntilCarriesTheRecheckTime() {
    ConditionResult result = ConditionResult.notMetUntil(OPENING, "opens at 08:00");

    assertThat(result.met()).isFalse();
    assertThat(result.recheckAt()).contains(OPENING);
    assertThat(result.explanation()).isEqualTo("opens at 08:00");
  }

  @Test
  void rejectsNulls() {
    assertThatThrownBy(() -> new ConditionResult(true, null, "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("recheckAt is null");
    assertThatThrownBy(() -> new ConditionResult(true, Optional.empty(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("explanation is null");
    assertThatThrownBy(() -> ConditionResult.notMetUntil(null, "x"))
        .isInstanceOf(NullPointerException.class);
  }
}

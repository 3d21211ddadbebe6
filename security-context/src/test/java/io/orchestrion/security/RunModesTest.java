package io.orchestrion.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.flow.RunMode;
import org.junit.jupiter.api.Test;

class RunModesTest {
  @Test
  void defaultResolvesToSystemWithoutSharingForTheAutomatedProcessUser() {
    assertThat(RunModes.resolve(RunMode.DEFAULT, SystemUsers.AUTOMATED_PROCESS_USER_ID))
        .isEqualTo(RunMode.SYSTEM_WITHOUT_SHARING);
  }

  @Test
  void defaultResolvesToUserForAPerson() {
    assertThat(RunModes.resolve(RunMode.DEFAULT, "alice")).isEqualTo(RunMode.USER);
  }

  @Test
  void explicitModesAreKeptWhoeverRuns() {
    for (RunMode mode :
        new RunMode[] {RunMode.USER, RunMode.SYSTEM_WITH_SHARING, RunMode.SYSTEM_WITHOUT_SHARING}) {
      assertThat(RunModes.resolve(mode, "alice")).isEqualTo(mode);
      assertThat(RunModes.resolve(mode, SystemUsers.AUTOMATED_PROCESS_USER_ID)).isEqualTo(mode);
    }
  }

  @Test
  void automatedProcessContextRunsWithoutSharing() {
    SecurityContext context = SystemUsers.automatedProcess();

    assertThat(context.userId()).isEqualTo("automated-process");
    assertThat(context.effectiveMode()).isEqualTo(RunMode.SYSTEM_WITHOUT_SHARING);
    assertThat(context.isAutomatedProcess()).isTrue();
  }

  @Test
  void securityContextResolvesTheDeclaredMode() {
    assertThat(SecurityContext.of("bob", RunMode.DEFAULT))
        .isEqualTo(new SecurityContext("bob", RunMode.USER));
  }

  @Test
  void securityContextRejectsAnUnresolvedMode() {
    assertThatThrownBy(() -> new SecurityContext("alice", RunMode.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DEFAULT")
        .hasMessageContaining("alice");
  }

  @Test
  void securityContextRejectsABlankUser() {
    assertThatThrownBy(() -> new SecurityContext(" ", RunMode.USER))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

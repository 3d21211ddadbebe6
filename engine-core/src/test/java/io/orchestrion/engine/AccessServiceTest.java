package io.orchestrion.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.spi.directory.User;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessServiceTest {
  @Test
  void anActiveUserMaySignIn() {
    assertThat(AccessService.signInRefusal(User.of("ann", "Ann"))).isEmpty();
  }

  @Test
  void anInactiveUserMayNot() {
    assertThat(AccessService.signInRefusal(User.of("old", "Old").withActive(false)))
        .contains("user 'old' is inactive and cannot sign in");
  }

  @Test
  void theAutomatedProcessUserNeverSignsIn() {
    User automated =
        new User(
            "robot",
            "robot",
            "Robot",
            Optional.empty(),
            true,
            Optional.empty(),
            Optional.empty(),
            true);
    assertThat(AccessService.signInRefusal(automated))
        .contains("the automated process user 'robot' cannot sign in");
  }
}

package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.spi.testing.TestingActionInvocation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GreetActionFactoryTest {
  private final GreetActionFactory factory = new GreetActionFactory("${pluginId}.greet", "Hello");

  @Test
  void greetsByName() throws Exception {
    assertThat(TestingActionInvocation.invoke(factory, Map.of("name", "Grace")))
        .containsExactly(Map.entry("greeting", "Hello, Grace!"));
    assertThat(factory.descriptor().externalSideEffects()).isFalse();
  }

  @Test
  void theTestKitChecksTheInputsAgainstTheDescriptor() {
    assertThatThrownBy(() -> TestingActionInvocation.invoke(factory, Map.of("nom", "Grace")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("required input 'name' is missing");
  }
}

package io.orchestrion.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionValuesTest {
  @Test
  void invocationCopiesItsInputsAndKeepsTheirOrder() {
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("b", 1);
    inputs.put("a", 2);
    ActionInvocation invocation =
        new ActionInvocation(inputs, "key-1", "user-1", RunMode.SYSTEM_WITHOUT_SHARING);
    inputs.put("c", 3);

    assertThat(invocation.inputs()).containsExactly(Map.entry("b", 1), Map.entry("a", 2));
    assertThatThrownBy(() -> invocation.inputs().put("d", 4))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void invocationAllowsANullInputValue() {
    Map<String, Object> inputs = new HashMap<>();
    inputs.put("subject", null);

    ActionInvocation invocation = new ActionInvocation(inputs, "key-1", "user-1", RunMode.USER);

    assertThat(invocation.inputs()).containsEntry("subject", null);
  }

  @Test
  void invocationRejectsMissingKeyUserAndMode() {
    assertThatThrownBy(() -> new ActionInvocation(Map.of(), null, "user-1", RunMode.USER))
        .hasMessage("idempotencyKey is null");
    assertThatThrownBy(() -> new ActionInvocation(Map.of(), "key-1", null, RunMode.USER))
        .hasMessage("runningUserId is null");
    assertThatThrownBy(() -> new ActionInvocation(Map.of(), "key-1", "user-1", null))
        .hasMessage("runMode is null");
  }

  @Test
  void descriptorCopiesItsParameters() {
    List<ActionParameter> inputs =
        new ArrayList<>(List.of(ActionParameter.required("to", DataType.TEXT)));
    ActionDescriptor descriptor =
        new ActionDescriptor("mail.send", "Sends a mail", inputs, List.of(), true);
    inputs.add(ActionParameter.optional("cc", DataType.TEXT));

    assertThat(descriptor.inputs()).containsExactly(ActionParameter.required("to", DataType.TEXT));
    assertThat(descriptor.inputs().getFirst().required()).isTrue();
    assertThat(ActionParameter.optional("cc", DataType.TEXT).required()).isFalse();
  }
}

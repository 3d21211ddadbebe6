package ${package};

import io.orchestrion.api.object.DataType;
import io.orchestrion.spi.Action;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.ActionParameter;
import java.util.List;
import java.util.Map;

/** An action: input {@code name}, output {@code greeting}; no effect outside the engine. */
public final class GreetActionFactory implements ActionFactory {
  public static final String DEFAULT_GREETING = "Hello";

  private final String id;
  private final String greeting;

  public GreetActionFactory(String id, String greeting) {
    this.id = id;
    this.greeting = greeting;
  }

  @Override
  public ActionDescriptor descriptor() {
    return new ActionDescriptor(
        id,
        "Greets someone",
        List.of(ActionParameter.required("name", DataType.TEXT)),
        List.of(ActionParameter.required("greeting", DataType.TEXT)),
        false);
  }

  @Override
  public Action create() {
    return invocation -> Map.of("greeting", greeting + ", " + invocation.inputs().get("name") + "!");
  }
}

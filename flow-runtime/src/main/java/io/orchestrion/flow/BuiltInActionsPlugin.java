package io.orchestrion.flow;

import io.orchestrion.api.object.DataType;
import io.orchestrion.spi.Action;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.ActionParameter;
import io.orchestrion.spi.Plugin;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actions that come with the engine, registered through the same plugin interface as
 * third-party actions: {@code log} writes a message to the engine's log (logger {@code
 * io.orchestrion.flow.actions.log}) and has no external side effects.
 */
public final class BuiltInActionsPlugin implements Plugin {
  public static final String ID = "orchestrion-builtin-actions";
  public static final String LOG_ACTION_ID = "log";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public List<ActionFactory> getActionFactories() {
    return List.of(new LogActionFactory());
  }

  private static final class LogActionFactory implements ActionFactory {
    @Override
    public ActionDescriptor descriptor() {
      return new ActionDescriptor(
          LOG_ACTION_ID,
          "Writes a message to the engine's log",
          List.of(ActionParameter.required("message", DataType.TEXT)),
          List.of(),
          false);
    }

    @Override
    public Action create() {
      Logger logger = LoggerFactory.getLogger("io.orchestrion.flow.actions.log");
      return invocation -> {
        logger.info(
            "{} (user {}, key {})",
            invocation.inputs().get("message"),
            invocation.runningUserId(),
            invocation.idempotencyKey());
        return Map.of();
      };
    }
  }
}

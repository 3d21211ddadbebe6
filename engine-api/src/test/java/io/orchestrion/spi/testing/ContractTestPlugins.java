package io.orchestrion.spi.testing;

import io.orchestrion.api.object.DataType;
import io.orchestrion.spi.Action;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.ActionParameter;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionType;
import io.orchestrion.spi.ConditionTypeFactory;
import io.orchestrion.spi.Plugin;
import java.util.List;
import java.util.Map;

/**
 * Plugins used by {@link PluginContractTest}. Public with public constructors because {@link
 * java.util.ServiceLoader} instantiates them; they are registered only in temporary directories
 * created by the test, never in this module's {@code META-INF/services}.
 */
public final class ContractTestPlugins {
  private ContractTestPlugins() {}

  static ConditionTypeFactory conditionType(String id) {
    return new ConditionTypeFactory() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public ConditionType create(io.orchestrion.spi.ConditionSetup setup) {
        return context -> ConditionResult.met("always");
      }
    };
  }

  static ActionFactory action(String id, List<ActionParameter> inputs) {
    return new ActionFactory() {
      @Override
      public ActionDescriptor descriptor() {
        return new ActionDescriptor(id, "test action", inputs, List.of(), false);
      }

      @Override
      public Action create() {
        return invocation -> Map.of();
      }
    };
  }

  /** Follows every rule. */
  public static final class GoodPlugin implements Plugin {
    public GoodPlugin() {}

    @Override
    public String id() {
      return "good";
    }

    @Override
    public List<ConditionTypeFactory> getConditionTypeFactories() {
      return List.of(conditionType("ALWAYS"));
    }

    @Override
    public List<ActionFactory> getActionFactories() {
      return List.of(action("good.echo", List.of(ActionParameter.required("text", DataType.TEXT))));
    }
  }

  /** Another plugin that claims the same condition type as {@link GoodPlugin}. */
  public static final class ClashingPlugin implements Plugin {
    public ClashingPlugin() {}

    @Override
    public String id() {
      return "clashing";
    }

    @Override
    public List<ConditionTypeFactory> getConditionTypeFactories() {
      return List.of(conditionType("ALWAYS"));
    }
  }

  /** Fails when the service loader instantiates it. */
  public static final class BrokenPlugin implements Plugin {
    public BrokenPlugin() {
      throw new IllegalStateException("missing configuration file");
    }

    @Override
    public String id() {
      return "broken";
    }
  }
}

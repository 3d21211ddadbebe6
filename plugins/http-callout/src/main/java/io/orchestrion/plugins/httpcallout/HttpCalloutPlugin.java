package io.orchestrion.plugins.httpcallout;

import io.orchestrion.spi.Action;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.PluginContext;
import java.util.List;

/**
 * The plugin's entry point: one action {@code http.<endpoint>} per endpoint configured under {@code
 * plugins.http-callout.endpoints.<endpoint>.*} (none without settings). Every action declares
 * external side effects: the engine commits the interview's work before calling it, calls it with
 * no database transaction open, and may call it again with the same idempotency key after a crash.
 */
public final class HttpCalloutPlugin implements Plugin {
  public static final String ID = "http-callout";

  private volatile List<ActionFactory> factories = List.of();

  /** Called by {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
  public HttpCalloutPlugin() {}

  @Override
  public String id() {
    return ID;
  }

  /**
   * Reads the endpoints.
   *
   * @throws IllegalArgumentException listing every invalid setting
   */
  @Override
  public void configure(PluginContext context) {
    factories =
        EndpointSettings.parse(context).stream()
            .map(endpoint -> (ActionFactory) new EndpointActionFactory(endpoint))
            .toList();
  }

  @Override
  public List<ActionFactory> getActionFactories() {
    return factories;
  }

  private record EndpointActionFactory(Endpoint endpoint) implements ActionFactory {
    @Override
    public ActionDescriptor descriptor() {
      return new ActionDescriptor(
          endpoint.actionId(),
          endpoint.description(),
          endpoint.inputs(),
          endpoint.outputs().stream().map(output -> output.parameter()).toList(),
          true);
    }

    @Override
    public Action create() {
      return new HttpCalloutAction(endpoint);
    }
  }
}

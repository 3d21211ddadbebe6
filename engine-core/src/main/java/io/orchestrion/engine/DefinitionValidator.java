package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.engine.api.DefinitionDocument;
import io.orchestrion.engine.api.Finding;
import io.orchestrion.engine.api.PluginConfiguration;
import io.orchestrion.engine.plugins.PluginManager;
import io.orchestrion.engine.validation.DefinitionSetValidator;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The deploy-time analysis without a database ({@code orchestrion validate}): object types, flows
 * and orchestrations given together are checked by the engine's own deploy checks, against each
 * other and the plugins' condition types and actions; each flow counts as the active version of its
 * api name and orchestrations are checked as for activation. Thread-safe.
 */
public final class DefinitionValidator {
  private final DefinitionSetValidator validator;

  private DefinitionValidator(DefinitionSetValidator validator) {
    this.validator = requireNonNull(validator, "validator is null");
  }

  /**
   * A validator that knows the built-in plugins, those on the class path and those of {@code
   * pluginDirectory} (the layout {@code serve --plugin-dir} reads).
   *
   * @throws OrchestrionException PLUGIN_ERROR when a plugin cannot be loaded
   */
  public static DefinitionValidator withPlugins(Optional<Path> pluginDirectory) {
    return withPlugins(pluginDirectory, PluginConfiguration.empty());
  }

  /**
   * Like {@link #withPlugins(Optional)}, the plugins getting {@code configuration} (a plugin whose
   * actions come from its settings, such as http-callout's endpoints, needs it).
   */
  public static DefinitionValidator withPlugins(
      Optional<Path> pluginDirectory, PluginConfiguration configuration) {
    return new DefinitionValidator(
        new DefinitionSetValidator(
            PluginManager.load(
                EngineModule.builtInPlugins(),
                DefinitionValidator.class.getClassLoader(),
                pluginDirectory,
                configuration)));
  }

  /**
   * Every finding, errors and warnings, in the order of the documents; no error means each would
   * deploy and activate together.
   */
  public List<Finding> validate(List<DefinitionDocument> documents) {
    return validator.validate(documents);
  }
}

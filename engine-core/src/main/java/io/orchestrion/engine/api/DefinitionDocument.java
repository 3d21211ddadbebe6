package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

/**
 * A definition to check offline: its name in findings (a file path, a resource name) and its JSON
 * text.
 */
public record DefinitionDocument(String source, String json) {
  public DefinitionDocument {
    requireNonNull(source, "source is null");
    requireNonNull(json, "json is null");
  }
}

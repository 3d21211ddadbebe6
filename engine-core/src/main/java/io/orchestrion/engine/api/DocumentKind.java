package io.orchestrion.engine.api;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.OrchestrationDefinition;

/** What a definition document defines, and the JSON Schema that describes it. */
public enum DocumentKind {
  OBJECT_TYPE("object type", "object-type", ObjectTypeDefinition.class),
  FLOW("flow", "flow", FlowDefinition.class),
  ORCHESTRATION("orchestration", "orchestration", OrchestrationDefinition.class);

  private final String displayName;
  private final String schemaName;
  private final Class<?> type;

  DocumentKind(String displayName, String schemaName, Class<?> type) {
    this.displayName = displayName;
    this.schemaName = schemaName;
    this.type = type;
  }

  /** The name used in messages: "object type", "flow", "orchestration". */
  public String displayName() {
    return displayName;
  }

  /**
   * The file name of its JSON Schema, {@code <name>.schema.json}: served at {@code
   * /schemas/<name>.schema.json} and named by a document's {@code $schema}.
   */
  public String schemaFileName() {
    return schemaName + ".schema.json";
  }

  /** The record a document of this kind is read as. */
  public Class<?> type() {
    return type;
  }
}

package io.orchestrion.engine.definitions;

/** What a stored definition defines. */
public enum DefinitionKind {
  FLOW("Flow"),
  ORCHESTRATION("Orchestration");

  private final String displayName;

  DefinitionKind(String displayName) {
    this.displayName = displayName;
  }

  /** The name used in messages: "Flow", "Orchestration". */
  public String displayName() {
    return displayName;
  }
}

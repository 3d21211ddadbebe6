package io.orchestrion.spi;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.object.DataType;

/** An input or output of an action, type-checked against flows at deploy time. */
public record ActionParameter(String name, DataType type, boolean collection, boolean required) {
  public ActionParameter {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }

  public static ActionParameter required(String name, DataType type) {
    return new ActionParameter(name, type, false, true);
  }

  public static ActionParameter optional(String name, DataType type) {
    return new ActionParameter(name, type, false, false);
  }
}

package io.orchestrion.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The signature of an action.
 *
 * @param id {@code [a-z][a-z0-9_.-]*}, e.g. {@code log} or {@code mail.send}
 * @param externalSideEffects whether the action changes something outside the engine's database;
 *     the interview then commits its segment before calling it, and the call may be repeated (at
 *     least once, with the same idempotency key)
 */
public record ActionDescriptor(
    String id,
    String description,
    List<ActionParameter> inputs,
    List<ActionParameter> outputs,
    boolean externalSideEffects) {
  public ActionDescriptor {
    requireNonNull(id, "id is null");
    requireNonNull(description, "description is null");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}

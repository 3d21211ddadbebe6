package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.Problem;
import io.orchestrion.api.run.ExecutionMode;
import java.util.List;

/**
 * What the analysis of a flow found: its problems and how it runs.
 *
 * @param errors problems that make the flow invalid (it cannot be compiled or activated)
 * @param warnings problems that do not prevent running it
 * @param mode {@link ExecutionMode#ASYNC} if and only if the flow has an Action, Subflow or Wait
 * @param asyncReasons the elements that make the flow asynchronous, in document order; empty when
 *     it is synchronous
 */
public record FlowAnalysis(
    List<Problem> errors,
    List<Problem> warnings,
    ExecutionMode mode,
    List<AsyncReason> asyncReasons) {
  public FlowAnalysis {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
    requireNonNull(mode, "mode is null");
    asyncReasons = List.copyOf(asyncReasons);
  }

  public boolean valid() {
    return errors.isEmpty();
  }
}

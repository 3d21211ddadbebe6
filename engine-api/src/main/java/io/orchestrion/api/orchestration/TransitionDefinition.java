package io.orchestrion.api.orchestration;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.flow.Requirement;
import java.util.List;

/**
 * Routing after a stage completes: when the requirements hold, go to {@code goTo}, a stage name or
 * {@code APPROVE} / {@code REJECT}. Transitions are tried in order; the first match wins.
 */
public record TransitionDefinition(List<Requirement> when, String logic, String goTo) {
  public static final String APPROVE = "APPROVE";
  public static final String REJECT = "REJECT";

  public TransitionDefinition {
    when = when == null ? List.of() : List.copyOf(when);
    logic = logic == null ? "ALL" : logic;
    requireNonNull(goTo, "goTo is null");
  }
}

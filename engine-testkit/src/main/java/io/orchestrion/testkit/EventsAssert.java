package io.orchestrion.testkit;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.StepStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a run's orchestration events, in sequence order; failures show the whole run. */
public final class EventsAssert extends AbstractAssert<EventsAssert, List<OrchestrationEvent>> {
  private final RunSnapshot snapshot;
  private final RunAssert run;

  EventsAssert(RunSnapshot snapshot, RunAssert run) {
    super(snapshot.events(), EventsAssert.class);
    this.snapshot = snapshot;
    this.run = run;
  }

  /** The events' kinds are exactly {@code kinds}, in this order. */
  public EventsAssert haveKinds(EventKind... kinds) {
    List<EventKind> actualKinds = actual.stream().map(OrchestrationEvent::kind).toList();
    if (!actualKinds.equals(Arrays.asList(kinds))) {
      throw failure(
          "Expected the run's events to be of kinds %s but they are %s"
              .formatted(Arrays.toString(kinds), actualKinds));
    }
    return this;
  }

  public EventsAssert isEmpty() {
    if (!actual.isEmpty()) {
      throw failure("Expected the run to have no events");
    }
    return this;
  }

  /** An OVERDUE event was published for the work item of step {@code stepName}. */
  public EventsAssert containOverdue(String stepName) {
    if (find(EventKind.OVERDUE, stepName, Optional.empty()).isEmpty()) {
      throw failure("Expected an OVERDUE event for step '%s'".formatted(stepName));
    }
    return this;
  }

  /** No OVERDUE event was published for step {@code stepName}. */
  public EventsAssert containNoOverdue(String stepName) {
    if (find(EventKind.OVERDUE, stepName, Optional.empty()).isPresent()) {
      throw failure("Expected no OVERDUE event for step '%s'".formatted(stepName));
    }
    return this;
  }

  /** A STEP_RESULT event says step {@code stepName} ended {@code status}. */
  public EventsAssert containStepResult(String stepName, StepStatus status) {
    if (find(EventKind.STEP_RESULT, stepName, Optional.of(status)).isEmpty()) {
      throw failure("Expected a STEP_RESULT event for step '%s' %s".formatted(stepName, status));
    }
    return this;
  }

  /** A MANUAL event with {@code key} = {@code value} in its payload. */
  public EventsAssert containManual(String key, Object value) {
    boolean found =
        actual.stream()
            .anyMatch(
                event ->
                    event.kind() == EventKind.MANUAL
                        && event.payload().containsKey(key)
                        && java.util.Objects.equals(event.payload().get(key), value));
    if (!found) {
      throw failure("Expected a MANUAL event with %s = %s".formatted(key, value));
    }
    return this;
  }

  private Optional<OrchestrationEvent> find(
      EventKind kind, String stepName, Optional<StepStatus> status) {
    return actual.stream()
        .filter(event -> event.kind() == kind)
        .filter(
            event ->
                event
                    .stepInstanceId()
                    .map(id -> snapshot.stepName(id).equals(stepName))
                    .orElse(false))
        .filter(event -> status.isEmpty() || event.stepStatus().equals(status))
        .findFirst();
  }

  /** Back to the run, to go on chaining. */
  public RunAssert run() {
    return run;
  }

  private AssertionError failure(String message) {
    return run.runFailure(message, info.descriptionText());
  }
}

package io.orchestrion.testkit;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.StepStatus;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a run's events in sequence order (SPEC §4): those that make the run evaluate
 * (STEP_RESULT, MANUAL, OVERDUE) and the lifecycle notifications (SUBMITTED, STAGE_STARTED,
 * STEP_STARTED, WORK_ITEM_DECIDED, RUN_COMPLETED, ...). {@link #ofKinds}, {@link #evaluating()} and
 * {@link #about(String)} narrow the events checked; failures show the whole run.
 */
public final class EventsAssert extends AbstractAssert<EventsAssert, List<OrchestrationEvent>> {
  private final RunSnapshot snapshot;
  private final RunAssert run;
  private final String scope;

  EventsAssert(RunSnapshot snapshot, RunAssert run) {
    this(snapshot, run, snapshot.events(), "the run's events");
  }

  private EventsAssert(
      RunSnapshot snapshot, RunAssert run, List<OrchestrationEvent> events, String scope) {
    super(events, EventsAssert.class);
    this.snapshot = snapshot;
    this.run = run;
    this.scope = scope;
  }

  /** Only the events of these kinds, in order. */
  public EventsAssert ofKinds(EventKind... kinds) {
    Set<EventKind> wanted = kinds.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(kinds));
    return narrowed(event -> wanted.contains(event.kind()), "of kinds " + wanted);
  }

  /** Only the events that make the run evaluate: STEP_RESULT, MANUAL and OVERDUE. */
  public EventsAssert evaluating() {
    return narrowed(event -> event.kind().makesRunEvaluate(), "that make the run evaluate");
  }

  /** Only the events about step {@code stepName} (its start, result, work items, due date). */
  public EventsAssert about(String stepName) {
    return narrowed(event -> stepName.equals(stepName(event)), "about step '" + stepName + "'");
  }

  private EventsAssert narrowed(Predicate<OrchestrationEvent> keep, String what) {
    return new EventsAssert(
        snapshot, run, actual.stream().filter(keep).toList(), scope + " " + what);
  }

  /** The events' kinds are exactly {@code kinds}, in this order. */
  public EventsAssert haveKinds(EventKind... kinds) {
    List<EventKind> actualKinds = kinds();
    if (!actualKinds.equals(Arrays.asList(kinds))) {
      throw failure(
          "Expected %s to be of kinds %s but they are %s"
              .formatted(scope, Arrays.toString(kinds), actualKinds));
    }
    return this;
  }

  /** Events of {@code kinds} come in this order; other events may come before, between, after. */
  public EventsAssert haveKindsInOrder(EventKind... kinds) {
    List<EventKind> actualKinds = kinds();
    int next = 0;
    for (EventKind kind : actualKinds) {
      if (next < kinds.length && kind == kinds[next]) {
        next++;
      }
    }
    if (next < kinds.length) {
      throw failure(
          "Expected %s to have kinds %s in this order but they are %s (%s not found after %s)"
              .formatted(
                  scope,
                  Arrays.toString(kinds),
                  actualKinds,
                  kinds[next],
                  Arrays.toString(Arrays.copyOf(kinds, next))));
    }
    return this;
  }

  public EventsAssert isEmpty() {
    if (!actual.isEmpty()) {
      throw failure("Expected %s to be none but they are %s".formatted(scope, kinds()));
    }
    return this;
  }

  /** At least one event of {@code kind}. */
  public EventsAssert containKind(EventKind kind) {
    if (actual.stream().noneMatch(event -> event.kind() == kind)) {
      throw failure("Expected %s to contain a %s event".formatted(scope, kind));
    }
    return this;
  }

  public EventsAssert doNotContainKind(EventKind kind) {
    if (actual.stream().anyMatch(event -> event.kind() == kind)) {
      throw failure("Expected %s to contain no %s event".formatted(scope, kind));
    }
    return this;
  }

  /** An event of {@code kind} about step {@code stepName} (STEP_STARTED, WORK_ITEM_CREATED...). */
  public EventsAssert contain(EventKind kind, String stepName) {
    if (find(kind, stepName, event -> true)) {
      return this;
    }
    throw failure(
        "Expected %s to contain a %s event for step '%s'".formatted(scope, kind, stepName));
  }

  /** An OVERDUE event was published for the work item of step {@code stepName}. */
  public EventsAssert containOverdue(String stepName) {
    if (!find(EventKind.OVERDUE, stepName, event -> true)) {
      throw failure("Expected an OVERDUE event for step '%s'".formatted(stepName));
    }
    return this;
  }

  /** No OVERDUE event was published for step {@code stepName}. */
  public EventsAssert containNoOverdue(String stepName) {
    if (find(EventKind.OVERDUE, stepName, event -> true)) {
      throw failure("Expected no OVERDUE event for step '%s'".formatted(stepName));
    }
    return this;
  }

  /** A STEP_RESULT event says step {@code stepName} ended {@code status}. */
  public EventsAssert containStepResult(String stepName, StepStatus status) {
    if (!find(
        EventKind.STEP_RESULT,
        stepName,
        event -> event.stepStatus().equals(java.util.Optional.of(status)))) {
      throw failure("Expected a STEP_RESULT event for step '%s' %s".formatted(stepName, status));
    }
    return this;
  }

  /** A WORK_ITEM_DECIDED event: {@code actorId} decided {@code decision} on step's item. */
  public EventsAssert containDecision(String stepName, String decision, String actorId) {
    boolean found =
        find(
            EventKind.WORK_ITEM_DECIDED,
            stepName,
            event ->
                decision.equals(event.payload().get("decision"))
                    && event.actorId().map(actorId::equals).orElse(false));
    if (!found) {
      throw failure(
          "Expected a WORK_ITEM_DECIDED event for step '%s': %s by %s"
              .formatted(stepName, decision, actorId));
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
                        && Objects.equals(event.payload().get(key), value));
    if (!found) {
      throw failure("Expected a MANUAL event with %s = %s".formatted(key, value));
    }
    return this;
  }

  private boolean find(EventKind kind, String stepName, Predicate<OrchestrationEvent> matches) {
    return actual.stream()
        .filter(event -> event.kind() == kind)
        .filter(event -> stepName.equals(stepName(event)))
        .anyMatch(matches);
  }

  private String stepName(OrchestrationEvent event) {
    return Describe.stepName(snapshot, event);
  }

  private List<EventKind> kinds() {
    return actual.stream().map(OrchestrationEvent::kind).toList();
  }

  /** Back to the run, to go on chaining. */
  public RunAssert run() {
    return run;
  }

  private AssertionError failure(String message) {
    return run.runFailure(message, info.descriptionText());
  }
}

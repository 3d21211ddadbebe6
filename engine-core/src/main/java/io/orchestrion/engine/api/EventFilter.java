package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.EventKind;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which events of the feed a reader wants (SPEC §4): of one run, of one submission, of some kinds;
 * empty means no restriction.
 */
public record EventFilter(
    Optional<String> runId, Optional<String> submissionId, Set<EventKind> kinds) {
  public static final EventFilter ALL =
      new EventFilter(Optional.empty(), Optional.empty(), Set.of());

  public EventFilter {
    requireNonNull(runId, "runId is null");
    requireNonNull(submissionId, "submissionId is null");
    kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
  }

  public static EventFilter ofRun(String runId) {
    return ALL.withRunId(Optional.of(runId));
  }

  public EventFilter withRunId(Optional<String> runId) {
    return new EventFilter(runId, submissionId, kinds);
  }

  public EventFilter withSubmissionId(Optional<String> submissionId) {
    return new EventFilter(runId, submissionId, kinds);
  }

  public EventFilter withKinds(Set<EventKind> kinds) {
    return new EventFilter(runId, submissionId, kinds);
  }

  /** Whether an event of this run, submission and kind passes the filter. */
  public boolean accepts(String eventRunId, String eventSubmissionId, EventKind kind) {
    return runId.map(eventRunId::equals).orElse(true)
        && submissionId.map(id -> id.equals(eventSubmissionId)).orElse(true)
        && (kinds.isEmpty() || kinds.contains(kind));
  }
}

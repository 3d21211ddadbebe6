package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An event a paused interview waits for: the engine resumes it with {@link
 * FlowInterpreter#resumeOnEvent} when an event of that name and correlation key is published.
 *
 * @param path the name of the Wait's resume path
 * @param event the event name
 * @param correlationKey the key computed when the interview paused
 */
public record EventWait(String path, String event, String correlationKey) {
  /**
   * The {@link SegmentResult.Paused#resumeAt()} of a Wait on events without a timeout: far enough
   * that it never fires, and storable as a SQL timestamp (unlike {@link Instant#MAX}).
   */
  public static final Instant NO_TIMEOUT = Instant.parse("9999-12-31T00:00:00Z");

  public EventWait {
    requireNonNull(path, "path is null");
    requireNonNull(event, "event is null");
    requireNonNull(correlationKey, "correlationKey is null");
  }
}

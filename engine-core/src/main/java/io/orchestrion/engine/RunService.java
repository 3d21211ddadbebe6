package io.orchestrion.engine;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.events.EventSequencer;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.run.RunEngine;
import io.orchestrion.engine.run.RunViews;
import jakarta.inject.Inject;
import java.util.Map;

/** Shows runs and wakes them with manual events (SPEC §4). */
public final class RunService {
  private final Database database;
  private final RunViews views;
  private final RunEngine runEngine;
  private final EventService events;
  private final EventSequencer sequencer;

  @Inject
  public RunService(
      Database database,
      RunViews views,
      RunEngine runEngine,
      EventService events,
      EventSequencer sequencer) {
    this.database = database;
    this.views = views;
    this.runEngine = runEngine;
    this.events = events;
    this.sequencer = sequencer;
  }

  /** Delivers a stored event to its run again; applying an event twice has no further effect. */
  public void redeliver(String eventId) {
    database.inTransaction(
        tx -> {
          runEngine.redeliver(tx, eventId);
          return null;
        });
  }

  public RunView get(String runId) {
    return database.inTransaction(tx -> views.run(tx, runId));
  }

  /**
   * Publishes a MANUAL event for the run and evaluates the run in the same transaction. The
   * returned event carries its sequence number: it is numbered before this method returns.
   */
  public OrchestrationEvent publishManualEvent(
      String runId, Map<String, Object> payload, String actorId) {
    String eventId =
        database.inTransaction(
            tx -> {
              Map<String, Object> body = new java.util.LinkedHashMap<>(payload);
              body.putIfAbsent("publishedBy", actorId);
              return runEngine.publishManualEvent(tx, runId, body);
            });
    sequencer.sequenceOnce();
    return events
        .find(eventId)
        .orElseThrow(() -> OrchestrionException.notFound("Event '" + eventId + "'"));
  }
}

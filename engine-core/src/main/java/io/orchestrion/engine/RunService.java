package io.orchestrion.engine;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.api.RunExplanation;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.events.EventSequencer;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.run.RunEngine;
import io.orchestrion.engine.run.RunExplainer;
import io.orchestrion.engine.run.RunViews;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.Map;

/**
 * Shows and explains runs, wakes them with manual events (SPEC §4), suspends, resumes and retries
 * them.
 */
public final class RunService {
  private final Database database;
  private final RunViews views;
  private final RunEngine runEngine;
  private final EventService events;
  private final EventSequencer sequencer;
  private final RunExplainer explainer;

  @Inject
  public RunService(
      Database database,
      RunViews views,
      RunEngine runEngine,
      EventService events,
      EventSequencer sequencer,
      RunExplainer explainer) {
    this.database = database;
    this.views = views;
    this.runEngine = runEngine;
    this.events = events;
    this.sequencer = sequencer;
    this.explainer = explainer;
  }

  /**
   * Suspends an IN_PROGRESS run (MANAGE_RUNS; SPEC §3.2): it starts no new step; results that
   * arrive meanwhile are applied on resume.
   */
  public RunView suspend(String runId, String actorId) {
    return operate(runId, tx -> runEngine.suspend(tx, runId, actorId));
  }

  /** Resumes a SUSPENDED run and evaluates it at once (MANAGE_RUNS). */
  public RunView resume(String runId, String actorId) {
    return operate(runId, tx -> runEngine.resume(tx, runId, actorId));
  }

  /**
   * Retries a run in ERROR (MANAGE_RUNS; SPEC §3.3): the failed step runs again from the start with
   * the flow version active now; steps its failure discontinued restart.
   */
  public RunView retry(String runId, String actorId) {
    return operate(runId, tx -> runEngine.retry(tx, runId, actorId));
  }

  /** Why the run's waiting steps have not started and its stage has not exited (SPEC §5.5). */
  public RunExplanation explain(String runId) {
    return database.inTransaction(tx -> explainer.explain(tx, runId));
  }

  private interface Operation {
    void apply(Transaction tx) throws SQLException;
  }

  private RunView operate(String runId, Operation operation) {
    RunView view =
        database.inTransaction(
            tx -> {
              operation.apply(tx);
              return views.run(tx, runId);
            });
    sequencer.numberCommitted();
    return view;
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
    sequencer.numberCommitted();
    return events
        .find(eventId)
        .orElseThrow(() -> OrchestrionException.notFound("Event '" + eventId + "'"));
  }
}

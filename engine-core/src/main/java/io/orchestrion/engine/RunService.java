package io.orchestrion.engine;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.api.RunExplanation;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.events.EventSequencer;
import io.orchestrion.engine.run.RunAdministration;
import io.orchestrion.engine.run.RunEngine;
import io.orchestrion.engine.run.RunExplainer;
import io.orchestrion.engine.run.RunViews;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.engine.work.Work;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.Map;

/**
 * Shows and explains runs, wakes them with manual events (SPEC §4), suspends, resumes and retries
 * them.
 */
public final class RunService {
  private final UnitsOfWork units;
  private final RunViews views;
  private final RunEngine runEngine;
  private final RunAdministration administration;
  private final EventService events;
  private final EventSequencer sequencer;
  private final RunExplainer explainer;

  @Inject
  public RunService(
      UnitsOfWork units,
      RunViews views,
      RunEngine runEngine,
      RunAdministration administration,
      EventService events,
      EventSequencer sequencer,
      RunExplainer explainer) {
    this.units = units;
    this.views = views;
    this.runEngine = runEngine;
    this.administration = administration;
    this.events = events;
    this.sequencer = sequencer;
    this.explainer = explainer;
  }

  /**
   * Suspends an IN_PROGRESS run (MANAGE_RUNS; SPEC §3.2): it starts no new step; results that
   * arrive meanwhile are applied on resume.
   */
  public RunView suspend(String runId, String actorId) {
    return operate(runId, uow -> administration.suspend(uow, runId, actorId));
  }

  /** Resumes a SUSPENDED run and evaluates it at once (MANAGE_RUNS). */
  public RunView resume(String runId, String actorId) {
    return operate(runId, uow -> administration.resume(uow, runId, actorId));
  }

  /**
   * Retries a run in ERROR (MANAGE_RUNS; SPEC §3.3): the failed step runs again from the start with
   * the flow version active now; steps its failure discontinued restart.
   */
  public RunView retry(String runId, String actorId) {
    return operate(runId, uow -> administration.retry(uow, runId, actorId));
  }

  /** Why the run's waiting steps have not started and its stage has not exited (SPEC §5.5). */
  public RunExplanation explain(String runId) {
    return units.call(uow -> explainer.explain(uow, runId));
  }

  private interface Operation {
    void apply(UnitOfWork uow) throws SQLException;
  }

  private RunView operate(String runId, Operation operation) {
    return callNumbered(
        uow -> {
          operation.apply(uow);
          return views.run(uow.transaction(), runId);
        });
  }

  /**
   * Runs {@code work} in a unit of work whose transaction numbers the events it wrote before it
   * commits ({@link EventSequencer#numberBeforeCommit}): they are numbered when this returns.
   */
  private <T> T callNumbered(Work<T> work) {
    return units.call(
        uow -> {
          sequencer.numberBeforeCommit(uow.transaction());
          return work.run(uow);
        });
  }

  /** Delivers a stored event to its run again; applying an event twice has no further effect. */
  public void redeliver(String eventId) {
    units.run(uow -> runEngine.redeliver(uow, eventId));
  }

  public RunView get(String runId) {
    return units.call(uow -> views.run(uow.transaction(), runId));
  }

  /**
   * Publishes a MANUAL event for the run and evaluates the run in the same transaction. The
   * returned event carries its sequence number: it is numbered before this method returns.
   */
  public OrchestrationEvent publishManualEvent(
      String runId, Map<String, Object> payload, String actorId) {
    String eventId =
        callNumbered(
            uow -> {
              Map<String, Object> body = new java.util.LinkedHashMap<>(payload);
              body.putIfAbsent("publishedBy", actorId);
              return runEngine.publishManualEvent(uow, runId, body);
            });
    return events
        .find(eventId)
        .orElseThrow(() -> OrchestrionException.notFound("Event '" + eventId + "'"));
  }
}

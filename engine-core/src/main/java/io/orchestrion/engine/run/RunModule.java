package io.orchestrion.engine.run;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/** Bindings of the run package (its repository is package-private). */
public final class RunModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(RunJson.class).in(Scopes.SINGLETON);
    bind(InstancesDocument.class).in(Scopes.SINGLETON);
    bind(StepReads.class).in(Scopes.SINGLETON);
    bind(RunCache.class).in(Scopes.SINGLETON);
    bind(LocalHandOffs.class).in(Scopes.SINGLETON);
    bind(RunLoader.class).in(Scopes.SINGLETON);
    bind(EventRows.class).in(Scopes.SINGLETON);
    // One writer of audit rows, compared by identity: the one RunViews has write what RunWriter
    // gathered.
    bind(AuditRows.class).in(Scopes.SINGLETON);
    bind(RunWriter.class).in(Scopes.SINGLETON);
    bind(RunRepository.class).in(Scopes.SINGLETON);
    bind(RunPermissions.class).in(Scopes.SINGLETON);
    bind(ApprovalStepStarter.class).in(Scopes.SINGLETON);
    bind(ApprovalDecisions.class).in(Scopes.SINGLETON);
    bind(ApprovalExplanations.class).in(Scopes.SINGLETON);
    bind(EscalationLadder.class).in(Scopes.SINGLETON);
    bind(BackgroundStepStarter.class).in(Scopes.SINGLETON);
    bind(EvaluationPass.class).in(Scopes.SINGLETON);
    bind(RunEngine.class).in(Scopes.SINGLETON);
    bind(WorkItemCommands.class).in(Scopes.SINGLETON);
    bind(RunAdministration.class).in(Scopes.SINGLETON);
    bind(LockedRuns.class).in(Scopes.SINGLETON);
    bind(RunViews.class).in(Scopes.SINGLETON);
    bind(RunExplainer.class).in(Scopes.SINGLETON);
  }
}

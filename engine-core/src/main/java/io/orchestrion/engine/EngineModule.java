package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.approvals.Delegations;
import io.orchestrion.engine.approvals.DirectoryAssignees;
import io.orchestrion.engine.calendars.CalendarStore;
import io.orchestrion.engine.cluster.ClusterNotices;
import io.orchestrion.engine.conditions.BuiltInConditionsPlugin;
import io.orchestrion.engine.definitions.DefinitionStore;
import io.orchestrion.engine.directory.JdbcDirectory;
import io.orchestrion.engine.events.EventSequencer;
import io.orchestrion.engine.flows.FlowCatalog;
import io.orchestrion.engine.jobs.JobRunner;
import io.orchestrion.engine.jobs.Workers;
import io.orchestrion.engine.metrics.EngineMetrics;
import io.orchestrion.engine.notifications.DirectoryNotificationContext;
import io.orchestrion.engine.notifications.NotificationCursors;
import io.orchestrion.engine.notifications.NotificationDispatcher;
import io.orchestrion.engine.notifications.NotificationFeed;
import io.orchestrion.engine.orchestration.FlowCompatibility;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.orchestration.OrchestrationCompiler;
import io.orchestrion.engine.persistence.GuardedDataSource;
import io.orchestrion.engine.persistence.PersistenceModule;
import io.orchestrion.engine.plugins.PluginManager;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.engine.records.RecordStores;
import io.orchestrion.engine.run.RunModule;
import io.orchestrion.engine.security.ActorPermissions;
import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.engine.security.RunAsResolver;
import io.orchestrion.engine.security.ShareManagers;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.engine.webhooks.WebhookOutbox;
import io.orchestrion.engine.webhooks.WebhookStore;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.flow.ActionRegistry;
import io.orchestrion.flow.BuiltInActionsPlugin;
import io.orchestrion.flow.json.StoredJsonReader;
import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.directory.Directory;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;

/**
 * The engine's bindings, given its configuration and a data source (owned by the caller). Use with
 * {@link io.orchestrion.flow.FlowRuntimeModule}; {@link OrchestrionEngine#create} does both.
 */
public final class EngineModule extends AbstractModule {
  private final EngineConfig config;
  private final DataSource dataSource;
  private final Clock clock;

  public EngineModule(EngineConfig config, DataSource dataSource, Clock clock) {
    this.config = requireNonNull(config, "config is null");
    this.dataSource = requireNonNull(dataSource, "dataSource is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  protected void configure() {
    install(new PersistenceModule());
    bind(EngineConfig.class).toInstance(config);
    bind(DataSource.class).toInstance(GuardedDataSource.of(dataSource));
    bind(Clock.class).toInstance(clock);
    bind(ObjectTypeStore.class).in(Scopes.SINGLETON);
    bind(ObjectTypeService.class).in(Scopes.SINGLETON);
    bind(RecordStores.class).in(Scopes.SINGLETON);
    bind(UnitsOfWork.class).in(Scopes.SINGLETON);
    bind(DefinitionStore.class).in(Scopes.SINGLETON);
    bind(WorkSignals.class).in(Scopes.SINGLETON);
    bind(FlowCatalog.class).in(Scopes.SINGLETON);
    bind(OrchestrationCompiler.class).in(Scopes.SINGLETON);
    bind(OrchestrationCatalog.class).in(Scopes.SINGLETON);
    bind(JdbcDirectory.class).in(Scopes.SINGLETON);
    bind(Directory.class).to(JdbcDirectory.class);
    bind(EngineSecurity.class).in(Scopes.SINGLETON);
    bind(DirectoryService.class).in(Scopes.SINGLETON);
    bind(RecordShareService.class).in(Scopes.SINGLETON);
    bind(AccessService.class).in(Scopes.SINGLETON);
    bind(DefinitionAccess.class).in(Scopes.SINGLETON);
    bind(RunAsResolver.class).in(Scopes.SINGLETON);
    bind(ActorPermissions.class).in(Scopes.SINGLETON);
    bind(ShareManagers.class).in(Scopes.SINGLETON);
    bind(Assignees.class).to(DirectoryAssignees.class).in(Scopes.SINGLETON);
    install(new RunModule());
    bind(JobRunner.class).in(Scopes.SINGLETON);
    bind(Workers.class).in(Scopes.SINGLETON);
    bind(ClusterNotices.class).in(Scopes.SINGLETON);
    bind(EventSequencer.class).in(Scopes.SINGLETON);
    bind(EventStreamTickets.class).in(Scopes.SINGLETON);
    bind(WebhookStore.class).in(Scopes.SINGLETON);
    bind(WebhookOutbox.class).in(Scopes.SINGLETON);
    bind(WebhookService.class).in(Scopes.SINGLETON);
    bind(CalendarStore.class).in(Scopes.SINGLETON);
    bind(CalendarService.class).in(Scopes.SINGLETON);
    bind(NotificationCursors.class).in(Scopes.SINGLETON);
    bind(NotificationFeed.class).in(Scopes.SINGLETON);
    bind(DirectoryNotificationContext.class).in(Scopes.SINGLETON);
    bind(NotificationDispatcher.class).in(Scopes.SINGLETON);
    bind(FlowService.class).in(Scopes.SINGLETON);
    bind(FlowEventService.class).in(Scopes.SINGLETON);
    bind(OrchestrationService.class).in(Scopes.SINGLETON);
    bind(SubmissionService.class).in(Scopes.SINGLETON);
    bind(RunService.class).in(Scopes.SINGLETON);
    bind(WorkItemService.class).in(Scopes.SINGLETON);
    bind(EventService.class).in(Scopes.SINGLETON);
    bind(RecordService.class).in(Scopes.SINGLETON);
    bind(ApproverFields.class).in(Scopes.SINGLETON);
    bind(RunAudience.class).in(Scopes.SINGLETON);
    bind(AllowedActions.class).in(Scopes.SINGLETON);
    bind(Delegations.class).in(Scopes.SINGLETON);
    bind(DelegationService.class).in(Scopes.SINGLETON);
    bind(OrchestrionEngine.class).in(Scopes.SINGLETON);
    bind(FlowCompatibility.class).in(Scopes.SINGLETON);
    bind(IdempotencyKeys.class).in(Scopes.SINGLETON);
    // An embedder (the server) sets its own registry with OptionalBinder.setBinding().
    OptionalBinder.newOptionalBinder(binder(), MeterRegistry.class)
        .setDefault()
        .toInstance(new SimpleMeterRegistry());
    bind(EngineMetrics.class).in(Scopes.SINGLETON);
  }

  @Provides
  @Singleton
  PluginManager pluginManager(EngineConfig engineConfig) {
    // Built-in, class path, then the plugin directory. A PLUGIN_ERROR here reaches callers of
    // OrchestrionEngine.injector unwrapped.
    return PluginManager.load(
        builtInPlugins(),
        EngineModule.class.getClassLoader(),
        engineConfig.pluginDirectory(),
        engineConfig.pluginConfiguration());
  }

  /** The plugins every engine has: the built-in condition types and actions. */
  public static List<Plugin> builtInPlugins() {
    return List.of(new BuiltInConditionsPlugin(), new BuiltInActionsPlugin());
  }

  @Provides
  @Singleton
  ActionRegistry actionRegistry(PluginManager plugins) {
    return plugins.actions();
  }

  @Provides
  @Singleton
  StoredJsonReader storedJsonReader(ObjectMapper mapper) {
    return new StoredJsonReader(mapper);
  }
}

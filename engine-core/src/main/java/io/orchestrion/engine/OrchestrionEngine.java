package io.orchestrion.engine;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.cluster.ClusterNotices;
import io.orchestrion.engine.events.EventSequencer;
import io.orchestrion.engine.jobs.Workers;
import io.orchestrion.engine.notifications.NotificationDispatcher;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.H2FileHousekeeping;
import io.orchestrion.engine.persistence.Migrations;
import io.orchestrion.flow.FlowRuntimeModule;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The engine, for embedders: build it with {@link #create(EngineConfig)} (it opens its own
 * connection pool) or from Guice with {@link EngineModule}, call {@link #start()}, use its
 * services, and {@link #close()} it.
 *
 * <pre>{@code
 * try (OrchestrionEngine engine =
 *     OrchestrionEngine.create(EngineConfig.defaults(DataSources.h2File(Path.of("data"))))) {
 *   engine.start();
 *   engine.objectTypes().define(expenseType);
 *   ...
 * }
 * }</pre>
 */
public final class OrchestrionEngine implements AutoCloseable {
  private final EngineConfig config;
  private final Database database;
  private final Workers workers;
  private final EventSequencer sequencer;
  private final ObjectTypeService objectTypes;
  private final RecordService records;
  private final FlowService flows;
  private final OrchestrationService orchestrations;
  private final SubmissionService submissions;
  private final RunService runs;
  private final WorkItemService workItems;
  private final EventService events;
  private final DirectoryService directory;
  private final RecordShareService shares;
  private final DelegationService delegations;
  private final AccessService access;
  private final FlowEventService flowEvents;
  private final RunAudience runAudience;
  private final IdempotencyKeys idempotencyKeys;
  private final ClusterNotices notices;
  private final CalendarService calendars;
  private final NotificationDispatcher notifications;
  private final H2FileHousekeeping h2Housekeeping;
  private Optional<AutoCloseable> ownedDataSource = Optional.empty();
  private volatile boolean started;

  @Inject
  public OrchestrionEngine(
      EngineConfig config,
      Database database,
      Workers workers,
      EventSequencer sequencer,
      ObjectTypeService objectTypes,
      RecordService records,
      FlowService flows,
      OrchestrationService orchestrations,
      SubmissionService submissions,
      RunService runs,
      WorkItemService workItems,
      EventService events,
      DirectoryService directory,
      RecordShareService shares,
      DelegationService delegations,
      AccessService access,
      FlowEventService flowEvents,
      RunAudience runAudience,
      IdempotencyKeys idempotencyKeys,
      ClusterNotices notices,
      CalendarService calendars,
      NotificationDispatcher notifications,
      H2FileHousekeeping h2Housekeeping) {
    this.notices = notices;
    this.h2Housekeeping = h2Housekeeping;
    this.calendars = calendars;
    this.notifications = notifications;
    this.runAudience = runAudience;
    this.idempotencyKeys = idempotencyKeys;
    this.directory = directory;
    this.shares = shares;
    this.delegations = delegations;
    this.access = access;
    this.config = config;
    this.database = database;
    this.workers = workers;
    this.sequencer = sequencer;
    this.objectTypes = objectTypes;
    this.records = records;
    this.flows = flows;
    this.orchestrations = orchestrations;
    this.submissions = submissions;
    this.runs = runs;
    this.workItems = workItems;
    this.events = events;
    this.flowEvents = flowEvents;
  }

  /** An engine over its own connection pool, built from {@code config.database()}. */
  public static OrchestrionEngine create(EngineConfig config) {
    HikariDataSource dataSource = DataSources.create(config.database());
    try {
      OrchestrionEngine engine = create(config, dataSource, Clock.systemUTC());
      engine.ownedDataSource = Optional.of(dataSource);
      return engine;
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  /** An engine over the caller's data source, which the caller closes after the engine. */
  public static OrchestrionEngine create(EngineConfig config, DataSource dataSource, Clock clock) {
    return create(config, dataSource, clock, List.of());
  }

  /**
   * Like {@link #create(EngineConfig, DataSource, Clock)}, with {@code overrides} replacing engine
   * bindings: an embedder's own {@link io.orchestrion.engine.approvals.Assignees} (who manages
   * whom, group and queue membership), for example.
   */
  public static OrchestrionEngine create(
      EngineConfig config, DataSource dataSource, Clock clock, List<Module> overrides) {
    Module engine =
        Modules.override(
                new FlowRuntimeModule(config.flowLimits()),
                new EngineModule(config, dataSource, clock))
            .with(overrides);
    return injector(List.of(engine)).getInstance(OrchestrionEngine.class);
  }

  /**
   * The process's injector over {@code modules}: production stage, explicit bindings, no circular
   * proxies. An {@link OrchestrionException} raised while building it (a plugin that cannot be
   * loaded, say) is thrown as itself rather than inside Guice's {@link CreationException}, so that
   * the caller sees the message that names the problem.
   */
  public static Injector injector(List<Module> modules) {
    try {
      List<Module> all = new ArrayList<>();
      all.add(
          binder -> {
            binder.requireExplicitBindings();
            binder.disableCircularProxies();
          });
      all.addAll(modules);
      return Guice.createInjector(Stage.PRODUCTION, all);
    } catch (CreationException e) {
      for (var message : e.getErrorMessages()) {
        if (message.getCause() instanceof OrchestrionException cause) {
          throw cause;
        }
      }
      throw e;
    }
  }

  /**
   * Migrates the schema, then starts the workers, the event sequencer, the delivery of notification
   * events to the plugins' listeners (when {@code notifications.enabled}) and, on an embedded H2
   * file, its housekeeping ({@link EngineConfig#h2Housekeeping()}).
   */
  public synchronized OrchestrionEngine start() {
    if (started) {
      return this;
    }
    Migrations.migrate(database.dataSource(), database.dialect());
    directory.ensureBuiltIns();
    notices.start();
    sequencer.start();
    if (config.startWorkers()) {
      workers.start();
    }
    notifications.registerListeners();
    if (config.notifications().enabled()) {
      notifications.start();
    }
    h2Housekeeping.start();
    started = true;
    return this;
  }

  public EngineConfig config() {
    return config;
  }

  /**
   * Whether {@link #start()} completed (the schema is migrated) and {@link #close()} did not run.
   */
  public boolean isStarted() {
    return started;
  }

  /**
   * Whether this node's job workers run (never when {@link EngineConfig#startWorkers()} is false).
   */
  public boolean workersRunning() {
    return workers.isRunning();
  }

  /**
   * Whether this node hears the other nodes' notifications now (PostgreSQL only; while it does not,
   * other nodes' work is found at the poll interval and the directory revision read per request).
   */
  public boolean listening() {
    return notices.isListening();
  }

  public ObjectTypeService objectTypes() {
    return objectTypes;
  }

  public RecordService records() {
    return records;
  }

  public FlowService flows() {
    return flows;
  }

  public OrchestrationService orchestrations() {
    return orchestrations;
  }

  public SubmissionService submissions() {
    return submissions;
  }

  public RunService runs() {
    return runs;
  }

  public WorkItemService workItems() {
    return workItems;
  }

  public EventService events() {
    return events;
  }

  /** Users, roles, groups, queues and permission sets (SPEC §7). */
  public DirectoryService directory() {
    return directory;
  }

  /** Explicit record shares (SPEC §7), checked against who may manage them. */
  public RecordShareService shares() {
    return shares;
  }

  /** Delegates and out-of-office windows: who may decide whose work items (issue #15). */
  public DelegationService delegations() {
    return delegations;
  }

  /**
   * Who is who and who may do what: users, their access facts and system permissions, and the
   * sign-in rule ({@link AccessService#signInRefusal}).
   */
  public AccessService access() {
    return access;
  }

  /** Who may see which submissions, runs and events (for an API that acts for its callers). */
  public RunAudience runAudience() {
    return runAudience;
  }

  /** The stored idempotency keys (SPEC §12); the engine purges expired ones by itself. */
  public IdempotencyKeys idempotencyKeys() {
    return idempotencyKeys;
  }

  /** Business calendars, in which approval steps count due times and escalations. */
  public CalendarService calendars() {
    return calendars;
  }

  /** Events for flow interviews waiting on them (Wait elements with resume paths). */
  public FlowEventService flowEvents() {
    return flowEvents;
  }

  /**
   * Runs, on the calling thread, every job that is ready or due by the engine's clock (segments of
   * asynchronous steps, waits that are over, re-checks, due dates), including those the runs make
   * due meanwhile, then numbers the events they wrote; returns how many job runs that took. For an
   * engine started without workers ({@link EngineConfig#startWorkers()} false) on a clock the
   * caller moves: the test kit (orchestrion-engine-testkit) calls it after each advance of its
   * virtual clock.
   *
   * @throws IllegalStateException when this engine's workers run
   */
  public int runDueJobs() {
    int runs = workers.runDueJobs();
    while (sequencer.sequenceOnce() > 0) {
      // every event the jobs wrote gets its number before the caller looks
    }
    return runs;
  }

  /**
   * Delivers, on the calling thread, the notification events due now to every plugin listener (one
   * batch each); returns how many were delivered. For an engine whose delivery threads do not run
   * ({@code notifications.enabled} false), e.g. on a virtual clock.
   *
   * @throws IllegalStateException when this node's delivery threads run
   */
  public int deliverNotifications() {
    return notifications.deliverDue();
  }

  /** Stops workers (letting running segments finish) and closes the pool if the engine owns it. */
  @Override
  public synchronized void close() {
    notifications.close();
    workers.close();
    sequencer.close();
    notices.close();
    h2Housekeeping.close();
    ownedDataSource.ifPresent(
        closeable -> {
          try {
            closeable.close();
          } catch (Exception e) {
            throw new IllegalStateException("closing the data source failed", e);
          }
        });
    started = false;
  }
}

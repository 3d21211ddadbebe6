package io.orchestrion.testkit;

import static java.util.Objects.requireNonNull;

import com.google.inject.Module;
import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.FlowEvent;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.User;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A real engine for a test: a fresh in-memory H2 database, a {@link VirtualClock}, and no worker
 * threads. Everything the engine would do in the background (asynchronous steps, waits, re-checks,
 * due dates, delivery of notification events to plugin listeners) runs on the test's thread: after
 * each action of this class (submit, decide, publish, update a record) and on {@link
 * #advance(Duration)}, every job that is ready or due runs before the method returns, so a test
 * reads settled state and never sleeps.
 *
 * <p>{@link #engine()} is the engine itself, for anything this class does not wrap; call {@link
 * #runDueJobs()} after using it directly. Usually created by {@link OrchestrionExtension}; close it
 * when made by hand.
 */
public final class TestEngine implements AutoCloseable {
  private static final int EVENT_PAGE = 1000;

  private final OrchestrionEngine engine;
  private final VirtualClock clock;
  private final HikariDataSource dataSource;
  private final String jdbcUrl;
  private final ClassLoader resources;

  private TestEngine(
      OrchestrionEngine engine,
      VirtualClock clock,
      HikariDataSource dataSource,
      String jdbcUrl,
      ClassLoader resources) {
    this.engine = engine;
    this.clock = clock;
    this.dataSource = dataSource;
    this.jdbcUrl = jdbcUrl;
    this.resources = resources;
  }

  /** A started engine with the defaults of {@link Builder}. */
  public static TestEngine start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The engine under test. */
  public OrchestrionEngine engine() {
    return engine;
  }

  public VirtualClock clock() {
    return clock;
  }

  /** The engine's current time. */
  public Instant now() {
    return clock.instant();
  }

  // ---- time ----

  /**
   * Moves the clock forward by {@code duration} and runs every job that became due (waits that
   * ended, re-checks, due dates) and whatever those runs made due at the new time; returns how many
   * job runs that took. Jobs due at intermediate times run at the new time, once (a re-check every
   * hour runs once for an advance of a day): advance in steps to see each.
   */
  public int advance(Duration duration) {
    clock.advance(duration);
    return runDueJobs();
  }

  /** Like {@link #advance(Duration)}, to {@code instant}. */
  public int advanceTo(Instant instant) {
    clock.advanceTo(instant);
    return runDueJobs();
  }

  /**
   * Runs every job that is ready or due now, see {@link OrchestrionEngine#runDueJobs()}, then
   * delivers the notification events due now to the plugins' listeners ({@link
   * OrchestrionEngine#deliverNotifications()}; a listener that fails is retried after its back-off,
   * by this clock). Returns how many job runs that took.
   */
  public int runDueJobs() {
    int runs = engine.runDueJobs();
    while (engine.deliverNotifications() > 0) {
      // the next batch of each listener, until none delivers anything more now
    }
    return runs;
  }

  // ---- definitions and people ----

  /**
   * Deploys and activates definitions from class-path resources (object types, then flows, then
   * orchestrations, whatever the order given), each recognised by its shape (see {@link Deploy}).
   *
   * @throws IllegalArgumentException naming the resource (and each JSON path at fault) when a
   *     resource is missing, unreadable or refused by the engine
   */
  public TestEngine deploy(String... classpathResources) {
    for (Definitions.Loaded loaded :
        Definitions.load(resources, Arrays.asList(classpathResources))) {
      try {
        switch (loaded) {
          case Definitions.ObjectType type -> engine.objectTypes().define(type.definition());
          case Definitions.Flow flow -> engine.flows().deploy(flow.definition(), true);
          case Definitions.Orchestration orchestration ->
              engine.orchestrations().deploy(orchestration.definition(), true);
        }
      } catch (OrchestrionException e) {
        throw new IllegalArgumentException(Definitions.describe(loaded.resource(), e), e);
      }
    }
    return this;
  }

  /** Adds an active user with no manager; its id is also its username and display name. */
  public User addUser(String id) {
    return engine.directory().saveUser(User.of(id, id));
  }

  /** Adds an active user managed by {@code managerId} (a user added before). */
  public User addUser(String id, String managerId) {
    return engine.directory().saveUser(User.of(id, id).withManager(managerId));
  }

  /** Adds a queue for records of {@code objectType} whose members are the users {@code userIds}. */
  public Queue addQueue(String queueId, String objectType, String... userIds) {
    return engine
        .directory()
        .saveQueue(new Queue(queueId, queueId, members(userIds), List.of(objectType)));
  }

  /** Adds a public group whose members are the users {@code userIds}. */
  public PublicGroup addGroup(String groupId, String... userIds) {
    return engine.directory().saveGroup(new PublicGroup(groupId, groupId, members(userIds)));
  }

  private static List<GroupMember> members(String... userIds) {
    return Arrays.stream(userIds).map(GroupMember::user).toList();
  }

  // ---- records and submissions ----

  /** Creates a record as {@code actorId} (trusted: no access check) and returns its id. */
  public String createRecord(String objectType, Map<String, Object> fields, String actorId) {
    RecordData record = engine.records().create(objectType, fields, actorId);
    runDueJobs();
    return record.id().orElseThrow();
  }

  public RecordData record(String objectType, String recordId) {
    return engine.records().get(objectType, recordId);
  }

  /** Changes fields of a record (runs waiting on it are evaluated) and runs what became due. */
  public RecordData updateRecord(
      String objectType, String recordId, Map<String, Object> changes, String actorId) {
    RecordData updated =
        engine.records().update(objectType, recordId, changes, Optional.empty(), actorId);
    runDueJobs();
    return updated;
  }

  /**
   * Submits the record for approval with the active version of {@code orchestration}, then runs the
   * jobs the submission made ready (its asynchronous steps, up to their waits).
   */
  public SubmissionView submit(
      String objectType, String recordId, String orchestration, String submitterId) {
    SubmissionView submitted =
        engine
            .submissions()
            .submit(
                new SubmitRequest(objectType, recordId, orchestration, Optional.empty()),
                submitterId);
    runDueJobs();
    return engine.submissions().get(submitted.id());
  }

  public SubmissionView submission(String submissionId) {
    return engine.submissions().get(submissionId);
  }

  public RunView run(String runId) {
    return engine.runs().get(runId);
  }

  // ---- approvals ----

  /** The run's work items, oldest first. */
  public List<WorkItemView> workItems(String runId) {
    return engine.workItems().ofRun(runId);
  }

  /**
   * The newest work item of the step {@code stepName} in the run.
   *
   * @throws AssertionError naming the run's work items when the step has none
   */
  public WorkItemView workItem(String runId, String stepName) {
    List<WorkItemView> items = workItems(runId);
    for (int i = items.size() - 1; i >= 0; i--) {
      if (items.get(i).stepName().equals(stepName)) {
        return items.get(i);
      }
    }
    throw new AssertionError(
        "run %s has no work item of step '%s'; its work items: %s"
            .formatted(runId, stepName, Describe.workItems(items)));
  }

  /** {@code userId} approves the ASSIGNED work item of {@code stepName}; due jobs then run. */
  public WorkItemView approve(String runId, String stepName, String userId) {
    return decide(runId, stepName, Decision.APPROVE, Optional.empty(), userId);
  }

  /** {@code userId} rejects the ASSIGNED work item of {@code stepName}; due jobs then run. */
  public WorkItemView reject(String runId, String stepName, String userId, String comments) {
    return decide(runId, stepName, Decision.REJECT, Optional.of(comments), userId);
  }

  private WorkItemView decide(
      String runId, String stepName, Decision decision, Optional<String> comments, String userId) {
    WorkItemView item = workItem(runId, stepName);
    if (item.status() != WorkItemStatus.ASSIGNED) {
      throw new AssertionError(
          "the work item of step '%s' in run %s is %s, not ASSIGNED: %s"
              .formatted(stepName, runId, item.status(), Describe.workItem(item)));
    }
    WorkItemView decided = engine.workItems().decide(item.id(), decision, comments, userId);
    runDueJobs();
    return decided;
  }

  // ---- events ----

  /**
   * Publishes an event for flow interviews waiting on it (a Wait's resume path) and runs the
   * interviews it resumed; returns how many it resumed.
   */
  public int publishFlowEvent(String name, String correlationKey, Map<String, Object> payload) {
    int resumed = engine.flowEvents().publish(new FlowEvent(name, correlationKey, payload));
    runDueJobs();
    return resumed;
  }

  /** Publishes a MANUAL orchestration event for the run (which is evaluated) as {@code actorId}. */
  public OrchestrationEvent publishManualEvent(
      String runId, Map<String, Object> payload, String actorId) {
    OrchestrationEvent event = engine.runs().publishManualEvent(runId, payload, actorId);
    runDueJobs();
    return event;
  }

  /** The run's orchestration events in sequence order. */
  public List<OrchestrationEvent> events(String runId) {
    List<OrchestrationEvent> all = new ArrayList<>();
    long after = 0;
    while (true) {
      List<OrchestrationEvent> page =
          engine.events().listAfter(after, Optional.of(runId), EVENT_PAGE);
      all.addAll(page);
      if (page.size() < EVENT_PAGE) {
        return all;
      }
      after = page.getLast().sequence();
    }
  }

  // ---- assertions ----

  /** The run, its submission, work items and events as they are now. */
  public RunSnapshot snapshot(String runId) {
    RunView run = run(runId);
    return new RunSnapshot(
        run, submission(run.submissionId()), workItems(runId), events(runId), now());
  }

  /** Fluent assertions on the run as it is now: {@code assertThatRun(id).isApproved()}. */
  public RunAssert assertThatRun(String runId) {
    return new RunAssert(snapshot(runId));
  }

  /** Fluent assertions on the submission's run as it is now. */
  public RunAssert assertThat(SubmissionView submission) {
    return assertThatRun(submission.runId());
  }

  /** Stops the engine and drops its database. */
  @Override
  public void close() {
    try {
      engine.close();
    } finally {
      dataSource.close();
      // The pool is closed; a last connection drops the in-memory database.
      try (Connection connection = DriverManager.getConnection(jdbcUrl);
          Statement statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      } catch (SQLException e) {
        throw new IllegalStateException("cannot drop the test database " + jdbcUrl, e);
      }
    }
  }

  @Override
  public String toString() {
    return "TestEngine[" + jdbcUrl + ", " + clock + "]";
  }

  /** Settings of a {@link TestEngine}; each has a default. */
  public static final class Builder {
    private Instant start = VirtualClock.DEFAULT_START;
    private ZoneId timeZone = ZoneOffset.UTC;
    private final List<Module> overrides = new ArrayList<>();
    private ClassLoader resources;
    private java.util.function.UnaryOperator<EngineConfig> configure = config -> config;

    private Builder() {}

    /** Where the virtual clock starts ({@link VirtualClock#DEFAULT_START} by default). */
    public Builder startingAt(Instant instant) {
      this.start = requireNonNull(instant, "instant is null");
      return this;
    }

    /** The engine's time zone ({@code $Today}, time conditions); UTC by default. */
    public Builder timeZone(ZoneId zone) {
      this.timeZone = requireNonNull(zone, "zone is null");
      return this;
    }

    /**
     * Guice bindings replacing the engine's, e.g. an embedder's own {@code Assignees}: see {@link
     * OrchestrionEngine#create(EngineConfig, javax.sql.DataSource, java.time.Clock, List)}.
     */
    public Builder override(Module module) {
      overrides.add(requireNonNull(module, "module is null"));
      return this;
    }

    /** Any other engine setting; the kit then turns the workers off whatever it says. */
    public Builder configure(java.util.function.UnaryOperator<EngineConfig> change) {
      this.configure = requireNonNull(change, "change is null");
      return this;
    }

    /** Where {@link TestEngine#deploy} finds resources (the context class loader by default). */
    public Builder resourcesFrom(ClassLoader loader) {
      this.resources = requireNonNull(loader, "loader is null");
      return this;
    }

    public TestEngine start() {
      String url =
          "jdbc:h2:mem:orchestrion_test_"
              + UUID.randomUUID().toString().replace("-", "")
              + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
      DatabaseConfig database = new DatabaseConfig(url, "", "", 4);
      EngineConfig config =
          configure
              .apply(EngineConfig.defaults(database).withTimeZone(timeZone))
              .withStartWorkers(false);
      // Notifications are delivered on the test's thread too, by runDueJobs.
      config = config.withNotifications(config.notifications().withEnabled(false));
      VirtualClock clock = new VirtualClock(start);
      HikariDataSource dataSource = DataSources.create(database);
      try {
        OrchestrionEngine engine =
            OrchestrionEngine.create(config, dataSource, clock, List.copyOf(overrides));
        engine.start();
        ClassLoader loader =
            resources != null
                ? resources
                : Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                    .orElse(TestEngine.class.getClassLoader());
        return new TestEngine(engine, clock, dataSource, url, loader);
      } catch (RuntimeException e) {
        dataSource.close();
        throw e;
      }
    }
  }
}

package io.orchestrion.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Module;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.flow.json.StrictJsonReader;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.SystemPermission;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A real engine over a {@link TestDatabase}, with short polling and leases so that restart tests
 * run in seconds, plus helpers to read fixtures from the test class path.
 */
public final class EngineHarness implements AutoCloseable {
  public static final ObjectMapper MAPPER = OrchestrionJson.newObjectMapper();

  private final OrchestrionEngine engine;

  private EngineHarness(OrchestrionEngine engine) {
    this.engine = engine;
  }

  /** An engine with running workers, polling every 50 ms, leases of 2 s. */
  public static EngineHarness start(TestDatabase database) {
    return start(database, config(database, true));
  }

  public static EngineHarness start(TestDatabase database, EngineConfig config) {
    return start(database, config, List.of());
  }

  /** An engine whose bindings {@code overrides} replace (a testing directory, say). */
  public static EngineHarness start(
      TestDatabase database, EngineConfig config, List<Module> overrides) {
    OrchestrionEngine engine =
        OrchestrionEngine.create(config, database.dataSource(), Clock.systemUTC(), overrides);
    engine.start();
    return new EngineHarness(engine);
  }

  public static EngineConfig config(TestDatabase database, boolean startWorkers) {
    return EngineConfig.defaults(new DatabaseConfig(database.jdbcUrl(), "", "", 4))
        .withPollInterval(Duration.ofMillis(50))
        .withLeaseDuration(Duration.ofSeconds(2))
        .withStartWorkers(startWorkers);
  }

  public OrchestrionEngine engine() {
    return engine;
  }

  public static String fixture(String name) {
    try (InputStream in = EngineHarness.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    return new StrictJsonReader(MAPPER).read(json, type, type.getSimpleName());
  }

  public static FlowDefinition flow(String fixture) {
    return read(fixture(fixture), FlowDefinition.class);
  }

  public static OrchestrationDefinition orchestration(String json) {
    return read(json, OrchestrationDefinition.class);
  }

  /** Defines the Expense object type of the fixtures. */
  public void defineExpense() {
    engine.objectTypes().define(read(fixture("expense.object.json"), ObjectTypeDefinition.class));
  }

  /** Deploys and activates flow fixtures. */
  public void activateFlows(String... fixtures) {
    for (String fixture : fixtures) {
      engine.flows().deploy(flow(fixture), true);
    }
  }

  /** Waits (up to 20 s) until the run matches, and returns it. */
  public RunView awaitRun(String runId, Predicate<RunView> condition) {
    Instant deadline = Instant.now().plusSeconds(20);
    RunView run = engine.runs().get(runId);
    while (!condition.test(run)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("run did not reach the expected state in 20 s: " + run);
      }
      sleep(25);
      run = engine.runs().get(runId);
    }
    return run;
  }

  public RunView awaitEnd(String runId) {
    return awaitRun(runId, run -> run.status() != RunStatus.IN_PROGRESS);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Creates a Draft Expense of {@code submitter}'s ({@code title}, {@code amount}) and submits it
   * to {@code orchestration}, as the submitter, through {@code engine}'s public API.
   */
  public static SubmissionView submitExpense(
      OrchestrionEngine engine,
      String orchestration,
      String submitter,
      String title,
      String amount) {
    RecordData record =
        engine
            .records()
            .create(
                "Expense",
                Map.of("Title", title, "Amount", new BigDecimal(amount), "Status", "Draft"),
                submitter);
    return engine
        .submissions()
        .submit(
            new SubmitRequest(
                "Expense", record.id().orElseThrow(), orchestration, Optional.empty()),
            submitter);
  }

  /** A permission set {@code id} (named the same) holding only {@code permissions}. */
  public static PermissionSet systemPermissionSet(String id, SystemPermission... permissions) {
    return new PermissionSet(id, id, Map.of(), Map.of(), Set.of(permissions));
  }

  @Override
  public void close() {
    engine.close();
  }
}

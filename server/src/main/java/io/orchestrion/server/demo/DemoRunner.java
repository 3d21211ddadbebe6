package io.orchestrion.server.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.engine.DeployedFlow;
import io.orchestrion.engine.DeployedOrchestration;
import io.orchestrion.engine.EngineActors;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.RunView;
import io.orchestrion.engine.SubmissionView;
import io.orchestrion.engine.SubmitRequest;
import io.orchestrion.flow.json.StrictJsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The demo: defines the Expense object type, deploys and activates the two example flows and the
 * Expense_Approval orchestration (all from class-path resources; deploys are idempotent, so it runs
 * again on an existing data directory), creates an expense, submits it and prints the run's
 * progress until it ends.
 */
public final class DemoRunner {
  private static final String ADMIN_USER_ID = EngineActors.ADMIN;
  private static final String RESOURCES = "/demo/";
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  private static final List<String> SHOWN_FIELDS =
      List.of("Title", "Amount", "Status", "Category", "Risk");

  private final OrchestrionEngine engine;
  private final ObjectMapper objectMapper;
  private final PrintStream out;

  public DemoRunner(OrchestrionEngine engine, ObjectMapper objectMapper, PrintStream out) {
    this.engine = requireNonNull(engine, "engine is null");
    this.objectMapper = requireNonNull(objectMapper, "objectMapper is null");
    this.out = requireNonNull(out, "out is null");
  }

  /** Runs the demo and returns the submission as it ended (or as it was at the timeout). */
  public SubmissionView run(Duration timeout) {
    StrictJsonReader reader = new StrictJsonReader(objectMapper);
    ObjectTypeDefinition expense =
        engine
            .objectTypes()
            .define(
                reader.read(
                    resource("expense.object.json"), ObjectTypeDefinition.class, "Object type"));
    out.println(
        "Object type " + expense.apiName() + " defined (" + expense.fields().size() + " fields)");
    for (String file : List.of("flow-mark-in-review.json", "flow-score-risk.json")) {
      FlowDefinition definition = reader.read(resource(file), FlowDefinition.class, "Flow");
      DeployedFlow flow = engine.flows().deploy(definition, true);
      out.println(
          "Flow "
              + flow.apiName()
              + " v"
              + flow.version()
              + " "
              + flow.status()
              + ": runs "
              + flow.analysis().mode()
              + (flow.analysis().asyncReasons().isEmpty()
                  ? " (no Action, Subflow or Wait)"
                  : " because of "
                      + flow.analysis().asyncReasons().stream()
                          .map(Object::toString)
                          .collect(Collectors.joining(", "))));
    }
    DeployedOrchestration orchestration =
        engine
            .orchestrations()
            .deploy(
                reader.read(
                    resource("orchestration-expense.json"),
                    OrchestrationDefinition.class,
                    "Orchestration"),
                true);
    out.println(
        "Orchestration "
            + orchestration.apiName()
            + " v"
            + orchestration.version()
            + " "
            + orchestration.status()
            + " (stages "
            + orchestration.definition().stages().stream()
                .map(stage -> stage.name())
                .collect(Collectors.joining(" -> "))
            + ")");
    orchestration.warnings().forEach(warning -> out.println("  warning: " + warning));

    Map<String, Object> fields = readObject(resource("expense.record.json"));
    RecordData record = engine.records().create(expense.apiName(), fields, ADMIN_USER_ID);
    String recordId = record.id().orElseThrow();
    out.println("Record " + expense.apiName() + " " + recordId + " created: " + describe(record));

    SubmissionView submission =
        engine
            .submissions()
            .submit(
                new SubmitRequest(
                    expense.apiName(),
                    recordId,
                    orchestration.apiName(),
                    Optional.of("Submitted by the demo")),
                ADMIN_USER_ID);
    out.println(
        "Submission "
            + submission.id()
            + " "
            + submission.status()
            + ", run "
            + submission.runId()
            + " (synchronous steps ran inside the submit call)");

    watch(submission.runId(), timeout);
    SubmissionView finished = engine.submissions().get(submission.id());
    RecordData after = engine.records().get(expense.apiName(), recordId);
    out.println("Submission " + finished.id() + " is " + finished.status());
    finished.error().ifPresent(error -> out.println("  error: " + error));
    out.println("Record " + recordId + " now: " + describe(after));
    return finished;
  }

  private void watch(String runId, Duration timeout) {
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    Map<String, String> printed = new HashMap<>();
    // The feed is filtered by run, so starting at 0 skips nothing of this run and nothing else.
    long lastSequence = 0;
    while (true) {
      RunView run = engine.runs().get(runId);
      String elapsed = String.format(Locale.ROOT, "[%6.3f s]", (System.nanoTime() - started) / 1e9);
      for (RunView.Stage stage : run.stages()) {
        printChange(
            printed, stage.id(), elapsed + " stage " + stage.name() + ": " + stage.status());
        for (RunView.Step step : stage.steps()) {
          printChange(
              printed, step.id(), elapsed + "   step " + stage.name() + "." + describe(step));
        }
      }
      List<OrchestrationEvent> events =
          engine.events().listAfter(lastSequence, Optional.of(runId), 100);
      for (OrchestrationEvent event : events) {
        lastSequence = event.sequence();
        out.println(
            elapsed
                + "   event #"
                + event.sequence()
                + " "
                + event.kind()
                + event.stepStatus().map(status -> " " + status).orElse("")
                + (event.payload().isEmpty() ? "" : " outputs " + event.payload()));
      }
      printChange(printed, run.id(), elapsed + " run " + run.status());
      if (run.status() != RunStatus.IN_PROGRESS) {
        run.error().ifPresent(error -> out.println("  run error: " + error));
        return;
      }
      if (System.nanoTime() > deadline) {
        out.println("The run is still " + run.status() + " after " + timeout.toSeconds() + " s");
        return;
      }
      sleep(POLL_INTERVAL);
    }
  }

  private void printChange(Map<String, String> printed, String key, String line) {
    String withoutTime = line.substring(line.indexOf(']') + 1);
    if (!withoutTime.equals(printed.get(key))) {
      printed.put(key, withoutTime);
      out.println(line);
    }
  }

  private static String describe(RunView.Step step) {
    StringBuilder text = new StringBuilder(step.name()).append(": ").append(step.status());
    step.executionMode()
        .ifPresent(
            mode ->
                text.append(" [")
                    .append(mode)
                    .append(step.executionReason().map(reason -> ": " + reason).orElse(""))
                    .append(']'));
    if (!step.outputs().isEmpty()) {
      text.append(" outputs ").append(step.outputs());
    }
    step.error().ifPresent(error -> text.append(" error: ").append(error));
    return text.toString();
  }

  private static String describe(RecordData record) {
    return record.fields().entrySet().stream()
        .filter(entry -> entry.getValue() != null)
        .filter(entry -> SHOWN_FIELDS.contains(entry.getKey()))
        .map(entry -> entry.getKey() + "=" + entry.getValue())
        .collect(Collectors.joining(", "));
  }

  private Map<String, Object> readObject(String json) {
    try {
      return objectMapper.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = DemoRunner.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new OrchestrionException(
            StandardErrorCode.INTERNAL_ERROR, "Missing demo resource '" + RESOURCES + name + "'");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrchestrionException(StandardErrorCode.INTERNAL_ERROR, "Demo interrupted", e);
    }
  }
}

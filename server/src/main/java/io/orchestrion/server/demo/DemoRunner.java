package io.orchestrion.server.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.calendar.BusinessCalendar;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.DeployedFlow;
import io.orchestrion.engine.api.DeployedOrchestration;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.flow.json.StrictJsonReader;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.server.console.DemoSignIn;
import io.orchestrion.server.http.JwtTokens;
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
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The demo: defines the Expense object type, deploys and activates the example flows and the
 * Expense_Approval orchestration (all from class-path resources; deploys are idempotent, so it runs
 * again on an existing data directory), creates the demo's users ({@link DemoDirectory}) and prints
 * a token for each, then, as alice, creates a large expense and submits it, and prints the run's
 * progress while bob (her manager) and fiona (the Finance queue) approve it, until it ends; then
 * runs the board review ({@link #boardReview}: a quorum with a veto and an escalation ladder on a
 * business calendar), then submits a second expense of alice's and leaves it waiting for bob, for
 * the console. Every record, submission and decision goes through the engine calls the HTTP API
 * makes for its caller.
 */
public final class DemoRunner {
  private static final String RESOURCES = "/demo/";
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  private static final List<String> SHOWN_FIELDS =
      List.of("Title", "Amount", "Status", "Category", "Risk");

  private final OrchestrionEngine engine;
  private final ObjectMapper objectMapper;
  private final PrintStream out;
  private final Optional<Function<String, String>> tokens;

  /**
   * @param tokens mints a bearer token for a user id; empty when this server cannot mint (RS256
   *     without a private key)
   */
  public DemoRunner(
      OrchestrionEngine engine,
      ObjectMapper objectMapper,
      PrintStream out,
      Optional<Function<String, String>> tokens) {
    this.engine = requireNonNull(engine, "engine is null");
    this.objectMapper = requireNonNull(objectMapper, "objectMapper is null");
    this.out = requireNonNull(out, "out is null");
    this.tokens = requireNonNull(tokens, "tokens is null");
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
    for (String file :
        List.of("flow-mark-in-review.json", "flow-score-risk.json", "flow-is-large.json")) {
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

    DemoDirectory.create(engine.directory());
    out.println("Users (tokens valid for " + JwtTokens.DEFAULT_LIFETIME.toHours() + " h):");
    for (String[] person : DemoDirectory.PEOPLE) {
      out.println(
          "  "
              + person[0]
              + " ("
              + person[1]
              + ", "
              + person[2]
              + "): "
              + tokens
                  .map(mint -> mint.apply(person[0]))
                  .orElse("tokens come from your identity provider"));
    }
    out.println(
        "  Finance queue: "
            + DemoDirectory.FINANCE
            + "; e.g. curl -H 'Authorization: Bearer <bob's token>' .../api/v1/work-items");

    SecurityContext alice = new SecurityContext(DemoDirectory.SUBMITTER, RunMode.USER);
    Map<String, Object> fields = readObject(resource("expense.demo.record.json"));
    RecordData record = engine.records().create(expense.apiName(), fields, alice);
    String recordId = record.id().orElseThrow();
    out.println(
        "Record "
            + expense.apiName()
            + " "
            + recordId
            + " created by "
            + alice.userId()
            + ": "
            + describe(record));

    SubmissionView submission =
        engine
            .submissions()
            .submit(
                new SubmitRequest(
                    expense.apiName(),
                    recordId,
                    orchestration.apiName(),
                    Optional.of("Submitted by the demo")),
                alice);
    out.println(
        "Submission "
            + submission.id()
            + " by "
            + alice.userId()
            + " "
            + submission.status()
            + ", run "
            + submission.runId()
            + " (synchronous steps ran inside the submit call)");

    watch(submission.runId(), timeout);
    SubmissionView finished = engine.submissions().get(submission.id());
    RecordData after = engine.records().get(expense.apiName(), recordId, alice);
    out.println("Submission " + finished.id() + " is " + finished.status());
    finished.error().ifPresent(error -> out.println("  error: " + error));
    out.println("Record " + recordId + " now: " + describe(after));
    boardReview(reader, expense.apiName(), alice, timeout);
    leaveWaiting(expense.apiName(), orchestration.apiName(), alice, timeout);
    return finished;
  }

  /**
   * Approvals in depth: a business calendar, and an orchestration whose one approval step has three
   * approvers settled by a quorum of two (Finance may veto) with an escalation ladder counted in
   * that calendar's business time. Alice submits; bob and fiona approve, which settles the step, so
   * ada's item is canceled; the ladder's timers are canceled with the items.
   */
  private void boardReview(
      StrictJsonReader reader, String objectType, SecurityContext alice, Duration timeout) {
    BusinessCalendar calendar =
        reader.read(resource("calendar-head-office.json"), BusinessCalendar.class, "Calendar");
    engine.calendars().put(calendar.name(), calendar);
    out.println(
        "Calendar "
            + calendar.name()
            + ": "
            + calendar.workingDays().size()
            + " working days, "
            + calendar.workStart()
            + "-"
            + calendar.workEnd()
            + " "
            + calendar.timeZone()
            + ", "
            + calendar.holidays().size()
            + " holidays");
    DeployedOrchestration board =
        engine
            .orchestrations()
            .deploy(
                reader.read(
                    resource("orchestration-board.json"),
                    OrchestrationDefinition.class,
                    "Orchestration"),
                true);
    out.println(
        "Orchestration "
            + board.apiName()
            + " v"
            + board.version()
            + " "
            + board.status()
            + ": "
            + board.definition().description().orElse(""));
    board.warnings().forEach(warning -> out.println("  warning: " + warning));
    RecordData record =
        engine
            .records()
            .create(objectType, readObject(resource("expense.board.record.json")), alice);
    SubmissionView submission =
        engine
            .submissions()
            .submit(
                new SubmitRequest(
                    objectType,
                    record.id().orElseThrow(),
                    board.apiName(),
                    Optional.of("Submitted by the demo for the board")),
                alice);
    out.println(
        "Submission "
            + submission.id()
            + " of "
            + alice.userId()
            + "'s "
            + describe(record)
            + " to "
            + board.apiName()
            + ", run "
            + submission.runId());
    watch(submission.runId(), timeout);
    out.println(
        "Submission "
            + submission.id()
            + " is "
            + engine.submissions().get(submission.id()).status());
  }

  /** The demo's users, for the console's one-click sign-in. */
  public static List<DemoSignIn.DemoUser> people() {
    return DemoDirectory.PEOPLE.stream()
        .map(person -> new DemoSignIn.DemoUser(person[0], person[1], person[2]))
        .toList();
  }

  /**
   * Submits a second expense of alice's and leaves it waiting for bob's approval (then fiona's), so
   * that the console has something in an inbox; carol has nothing to do with it.
   */
  private void leaveWaiting(
      String objectType, String orchestration, SecurityContext alice, Duration timeout) {
    Map<String, Object> fields = readObject(resource("expense.waiting.record.json"));
    RecordData record = engine.records().create(objectType, fields, alice);
    String recordId = record.id().orElseThrow();
    SubmissionView submission =
        engine
            .submissions()
            .submit(
                new SubmitRequest(
                    objectType, recordId, orchestration, Optional.of("Left waiting by the demo")),
                alice);
    long deadline = System.nanoTime() + timeout.toNanos();
    List<WorkItemView> waiting = List.of();
    while (waiting.isEmpty() && System.nanoTime() < deadline) {
      waiting =
          engine.workItems().ofRun(submission.runId()).stream()
              .filter(item -> item.status() == WorkItemStatus.ASSIGNED)
              .toList();
      if (waiting.isEmpty()) {
        sleep(POLL_INTERVAL);
      }
    }
    out.println(
        "Submission "
            + submission.id()
            + " of "
            + alice.userId()
            + "'s "
            + describe(record)
            + " is left "
            + (waiting.isEmpty()
                ? "in progress"
                : "waiting for "
                    + waiting.stream()
                        .map(
                            item ->
                                DemoDirectory.deciderFor(item.assigneeType(), item.assigneeId())
                                    + " ("
                                    + item.stepName()
                                    + ")")
                        .sorted()
                        .collect(Collectors.joining(" and ")))
            + "; "
            + DemoDirectory.UNRELATED
            + " has nothing to do with it");
  }

  /**
   * Has the assignee (for a queue: a member) approve the run's first open work item, one per poll,
   * so that a decision that settles a step (a quorum) is seen before the next item is decided. With
   * the demo's approvers, the third approver of a quorum of two is never asked: ada.
   */
  private void approveOpenItems(String runId, String elapsed) {
    for (WorkItemView item : engine.workItems().ofRun(runId)) {
      if (item.status() != WorkItemStatus.ASSIGNED
          || item.assigneeId().equals(DemoDirectory.ADMINISTRATOR)) {
        continue;
      }
      String decider = DemoDirectory.deciderFor(item.assigneeType(), item.assigneeId());
      out.println(
          elapsed
              + "   "
              + decider
              + " approves "
              + item.stepName()
              + " (assigned to "
              + item.assigneeType()
              + " "
              + item.assigneeId()
              + ")");
      engine.workItems().decide(item.id(), Decision.APPROVE, Optional.of("Looks right"), decider);
      return;
    }
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
      approveOpenItems(runId, elapsed);
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

package io.orchestrion.engine.run;

import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.references.Reference;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.Submission;
import io.orchestrion.spi.ConditionContext;
import io.orchestrion.spi.RecordStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What conditions and input mappings see during one evaluation pass: the run, its submission, the
 * record (read fresh once per pass, SPEC §5.2) and the pass's time.
 */
final class PassResolver implements ConditionContext {
  private final RunState run;
  private final RecordStore records;
  private final Instant now;
  private final ZoneId zone;
  private final BiFunction<String, Map<String, Object>, Boolean> evaluationFlows;
  private final Map<String, Object> previous;
  private final Map<String, Object> observed = new LinkedHashMap<>();
  private final Map<String, Object> evaluations = new LinkedHashMap<>();
  private RecordData record;

  PassResolver(
      RunState run,
      RecordStore records,
      Instant now,
      ZoneId zone,
      BiFunction<String, Map<String, Object>, Boolean> evaluationFlows) {
    this.run = run;
    this.records = records;
    this.now = now;
    this.zone = zone;
    this.evaluationFlows = evaluationFlows;
    this.previous = run.observed();
  }

  @Override
  public boolean evaluateFlow(String apiName, Map<String, Object> inputs) {
    boolean answer = evaluationFlows.apply(apiName, inputs);
    Map<String, Object> shownInputs = new LinkedHashMap<>();
    inputs.forEach((name, value) -> shownInputs.put(name, value == null ? null : value.toString()));
    Map<String, Object> evaluation = new LinkedHashMap<>();
    evaluation.put("answer", answer);
    evaluation.put("evaluatedAt", now.toString());
    evaluation.put("inputs", shownInputs);
    evaluations.put(apiName, evaluation);
    return answer;
  }

  /**
   * The answer of each evaluation flow this pass ran (SPEC §5.5), merged over those of earlier
   * passes: explain shows them as the flows' last answers.
   */
  Map<String, Object> evaluations() {
    Map<String, Object> result = new LinkedHashMap<>(run.evaluations());
    result.putAll(evaluations);
    return result;
  }

  /**
   * SPEC §5.2: IS_CHANGED compares with the value seen at the previous evaluation pass; at the
   * first pass (submit) nothing was seen before, so the value counts as unchanged.
   */
  @Override
  public Optional<Object> previousValue(String reference) {
    if (!previous.containsKey(reference)) {
      return resolve(reference);
    }
    return Optional.ofNullable(previous.get(reference));
  }

  /**
   * The values of the references read in this pass ($Now and $Today excluded), to compare with at
   * the next pass. References not read in this pass keep their previous value.
   */
  Map<String, Object> observed() {
    Map<String, Object> result = new LinkedHashMap<>(previous);
    result.putAll(observed);
    return result;
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public ZoneId timeZone() {
    return zone;
  }

  @Override
  public String runId() {
    return run.id();
  }

  @Override
  public Optional<StepStatus> stepStatus(String stepName) {
    return run.currentStage()
        .flatMap(
            stage ->
                run.stepsOf(stage).stream()
                    .filter(step -> step.name().equals(stepName))
                    .findFirst())
        .map(step -> step.status());
  }

  /** Forgets the record so that the next reference reads it again (after a step wrote to it). */
  void recordChanged() {
    record = null;
  }

  Object value(ValueSpec spec) {
    return switch (spec) {
      case ValueSpec.Literal literal -> literal.value();
      case ValueSpec.Reference reference -> resolve(reference.ref()).orElse(null);
      case ValueSpec.Formula formula ->
          throw new IllegalStateException("formula in a step input: rejected at deploy");
    };
  }

  @Override
  public Optional<Object> resolve(String reference) {
    Optional<Object> value = lookup(reference);
    if (!reference.equals("$Now") && !reference.equals("$Today")) {
      observed.put(reference, jsonSafe(value.orElse(null)));
    }
    return value;
  }

  /** Values kept for IS_CHANGED are stored as JSON: keep what JSON can hold. */
  private static Object jsonSafe(Object value) {
    if (value instanceof RecordData || value instanceof java.util.Collection<?>) {
      return String.valueOf(value);
    }
    return value instanceof Instant || value instanceof LocalDate ? value.toString() : value;
  }

  private Optional<Object> lookup(String reference) {
    return switch (Reference.parse(reference)) {
      // The submitted record's id is the submission's: no read of the record to learn it.
      case Reference.RecordField field ->
          field.field().equals(SystemFields.ID)
              ? Optional.of(run.submission().recordId())
              : record().get(field.field());
      case Reference.SubmissionProperty property -> submissionProperty(property.property());
      case Reference.StepStatus status ->
          Optional.of(
              run.latestStep(status.step())
                  .map(step -> step.status())
                  .orElse(StepStatus.NOT_STARTED)
                  .name());
      case Reference.StepOutput output ->
          run.latestStep(output.step()).map(step -> step.outputs().get(output.output()));
      case Reference.StageStatus status -> {
        StageInstance latest = null;
        for (StageInstance stage : run.stages()) {
          if (stage.name().equals(status.stage())) {
            latest = stage;
          }
        }
        yield latest == null ? Optional.empty() : Optional.of(latest.status().name());
      }
      case Reference.RunId runId -> Optional.of(run.id());
      case Reference.Now instant -> Optional.of(now);
      case Reference.Today today -> Optional.of(LocalDate.ofInstant(now, zone));
      case Reference.Variable variable -> Optional.ofNullable(run.variables().get(variable.text()));
      case Reference.Malformed malformed -> Optional.empty();
    };
  }

  private Optional<Object> submissionProperty(String property) {
    Submission submission = run.submission();
    return Optional.ofNullable(
        switch (property) {
          case "id" -> submission.id();
          case "submitterId" -> submission.submitterId();
          case "recordId" -> submission.recordId();
          case "objectType" -> submission.objectType();
          case "comments" -> submission.comments().orElse(null);
          default -> null;
        });
  }

  private RecordData record() {
    if (record == null) {
      record =
          records
              .find(run.submission().objectType(), run.submission().recordId())
              .orElseThrow(
                  () ->
                      new io.orchestrion.api.OrchestrionException(
                          io.orchestrion.api.StandardErrorCode.NOT_FOUND,
                          "the submitted record %s %s no longer exists"
                              .formatted(
                                  run.submission().objectType(), run.submission().recordId())));
    }
    return record;
  }
}

package io.orchestrion.engine.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.run.ExecutionMode;
import io.orchestrion.api.run.StageStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.StepKind;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A run's stage and step instances as one JSON document, kept in {@code runs.instances} (V20,
 * docs/persistence.md "The run's instances"): every hand-off rewrites the run's row anyway, so the
 * instances ride in it instead of in two tables of their own with two indexes each.
 *
 * <pre>{@code
 * {"stages": [{"id", "name", "index", "entry", "status", "started", "ended"?}],
 *  "steps":  [{"id", "stage", "name", "index", "kind", "status", "attempt", "flow"?, "flowVersion"?,
 *              "mode"?, "reason"?, "runAs"?, "runMode"?, "outputs"?, "error"?, "started"?,
 *              "ended"?, "discontinuedBy"?}]}
 * }</pre>
 *
 * Instants are ISO-8601 strings; absent values are left out; {@code outputs} is the step's outputs
 * object as the run's JSON writes it. Errors are truncated as the columns truncated them. The V20
 * migration writes the same format from the former tables.
 */
final class InstancesDocument {
  private final ObjectMapper mapper;

  @Inject
  InstancesDocument(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The instances read from a document, steps in {@link RunRows#stepOrder} order. */
  record Instances(List<RunRows.StageRow> stages, List<RunRows.StepRow> steps) {
    static final Instances NONE = new Instances(List.of(), List.of());
  }

  /**
   * The document of {@code stages} and {@code steps}; {@code outputsJson} gives the JSON of a
   * step's (non-empty) outputs.
   */
  String write(
      List<StageInstance> stages,
      List<StepInstance> steps,
      Function<StepInstance, String> outputsJson) {
    StringWriter text = new StringWriter(256 + 256 * steps.size());
    try (JsonGenerator out = mapper.getFactory().createGenerator(text)) {
      out.writeStartObject();
      out.writeArrayFieldStart("stages");
      for (StageInstance stage : stages) {
        out.writeStartObject();
        out.writeStringField("id", stage.id());
        out.writeStringField("name", stage.name());
        out.writeNumberField("index", stage.stageIndex());
        out.writeNumberField("entry", stage.entryNumber());
        out.writeStringField("status", stage.status().name());
        writeInstant(out, "started", stage.startedAt());
        writeInstant(out, "ended", stage.endedAt().orElse(null));
        out.writeEndObject();
      }
      out.writeEndArray();
      out.writeArrayFieldStart("steps");
      for (StepInstance step : steps) {
        writeStep(out, step, outputsJson);
      }
      out.writeEndArray();
      out.writeEndObject();
    } catch (IOException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "the instances of a run cannot be written as JSON: " + e.getMessage(),
          e);
    }
    return text.toString();
  }

  private static void writeStep(
      JsonGenerator out, StepInstance step, Function<StepInstance, String> outputsJson)
      throws IOException {
    out.writeStartObject();
    out.writeStringField("id", step.id());
    out.writeStringField("stage", step.stageInstanceId());
    out.writeStringField("name", step.name());
    out.writeNumberField("index", step.stepIndex());
    out.writeStringField("kind", step.kind().name());
    out.writeStringField("status", step.status().name());
    out.writeNumberField("attempt", step.attempt());
    writeString(out, "flow", step.flow().orElse(null));
    if (step.flowVersion().isPresent()) {
      out.writeNumberField("flowVersion", step.flowVersion().get());
    }
    writeString(out, "mode", step.executionMode().map(Enum::name).orElse(null));
    writeString(out, "reason", step.executionReason().orElse(null));
    writeString(out, "runAs", step.runAsUserId().orElse(null));
    writeString(out, "runMode", step.runMode().map(Enum::name).orElse(null));
    if (!step.outputs().isEmpty()) {
      out.writeFieldName("outputs");
      out.writeRawValue(outputsJson.apply(step));
    }
    writeString(out, "error", Sql.truncate(step.error().orElse(null)));
    writeInstant(out, "started", step.startedAt().orElse(null));
    writeInstant(out, "ended", step.endedAt().orElse(null));
    writeString(out, "discontinuedBy", step.discontinuedBy().orElse(null));
    out.writeEndObject();
  }

  private static void writeString(JsonGenerator out, String field, String value)
      throws IOException {
    if (value != null) {
      out.writeStringField(field, value);
    }
  }

  private static void writeInstant(JsonGenerator out, String field, Instant value)
      throws IOException {
    if (value != null) {
      out.writeStringField(field, value.toString());
    }
  }

  /** The instances of a stored document; none for a null column. */
  Instances read(String document) {
    if (document == null) {
      return Instances.NONE;
    }
    List<RunRows.StageRow> stages = new ArrayList<>();
    List<RunRows.StepRow> steps = new ArrayList<>();
    parse(
        document,
        (array, fields) -> {
          if (array.equals("stages")) {
            stages.add(stage(fields));
          } else if (array.equals("steps")) {
            steps.add(step(fields));
          }
          return true;
        });
    stages.sort(Comparator.comparingInt(RunRows.StageRow::entryNumber));
    steps.sort(RunRows.stepOrder(stages));
    return new Instances(List.copyOf(stages), List.copyOf(steps));
  }

  /** The step {@code stepInstanceId} of a stored document, or null. */
  RunRows.StepRow step(String document, String stepInstanceId) {
    if (document == null) {
      return null;
    }
    RunRows.StepRow[] found = new RunRows.StepRow[1];
    parse(
        document,
        (array, fields) -> {
          if (array.equals("steps") && stepInstanceId.equals(fields.get("id"))) {
            found[0] = step(fields);
            return false;
          }
          return true;
        });
    return found[0];
  }

  /** Receives each element of the document's arrays; returns whether to go on. */
  @FunctionalInterface
  private interface ElementSink {
    boolean accept(String array, Map<String, String> fields);
  }

  /**
   * Streams the document's arrays, each element as its fields' text; an object value ({@code
   * outputs}) as its JSON text exactly as stored, so its numbers are read once, by the run's JSON.
   */
  private void parse(String document, ElementSink sink) {
    try (JsonParser in = mapper.getFactory().createParser(document)) {
      expect(in.nextToken(), JsonToken.START_OBJECT);
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String array = in.currentName();
        expect(in.nextToken(), JsonToken.START_ARRAY);
        while (in.nextToken() == JsonToken.START_OBJECT) {
          Map<String, String> fields = new HashMap<>();
          while (in.nextToken() == JsonToken.FIELD_NAME) {
            String field = in.currentName();
            JsonToken value = in.nextToken();
            if (value == JsonToken.START_OBJECT) {
              int start = (int) in.currentTokenLocation().getCharOffset();
              in.skipChildren();
              int end = (int) in.currentLocation().getCharOffset();
              fields.put(field, document.substring(start, end));
            } else if (value != JsonToken.VALUE_NULL) {
              fields.put(field, in.getText());
            }
          }
          if (!sink.accept(array, fields)) {
            return;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "the stored instances of a run cannot be read: " + e.getMessage(),
          e);
    }
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + ", found " + actual);
    }
  }

  private static RunRows.StageRow stage(Map<String, String> stage) {
    return new RunRows.StageRow(
        stage.get("id"),
        stage.get("name"),
        Integer.parseInt(stage.get("index")),
        Integer.parseInt(stage.get("entry")),
        instant(stage.get("started")),
        StageStatus.valueOf(stage.get("status")),
        instant(stage.get("ended")));
  }

  private static RunRows.StepRow step(Map<String, String> step) {
    String mode = step.get("mode");
    String runMode = step.get("runMode");
    String flowVersion = step.get("flowVersion");
    return new RunRows.StepRow(
        step.get("id"),
        step.get("stage"),
        step.get("name"),
        Integer.parseInt(step.get("index")),
        StepKind.valueOf(step.get("kind")),
        new StepInstance.Stored(
            StepStatus.valueOf(step.get("status")),
            Integer.parseInt(step.get("attempt")),
            step.get("flow"),
            flowVersion == null ? null : Integer.valueOf(flowVersion),
            mode == null ? null : ExecutionMode.valueOf(mode),
            step.get("reason"),
            step.get("runAs"),
            runMode == null ? null : RunMode.valueOf(runMode),
            null,
            step.get("error"),
            instant(step.get("started")),
            instant(step.get("ended")),
            step.get("discontinuedBy")),
        step.get("outputs"));
  }

  private static Instant instant(String value) {
    return value == null ? null : Instant.parse(value);
  }
}

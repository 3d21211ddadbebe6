package io.orchestrion.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.run.ExecutionMode;
import io.orchestrion.api.run.StageStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.StepKind;
import io.orchestrion.engine.testing.EngineHarness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The run's instances document (V20): whatever the stages and steps hold — any text in names,
 * errors and outputs, absent values, instants to the nanosecond — it reads back as exactly the rows
 * the cache keeps for what was written ({@link RunRows#written}), and a single step is found by id.
 */
class InstancesDocumentTest {
  private static final RunJson JSON = new RunJson(EngineHarness.MAPPER);
  private static final InstancesDocument DOCUMENT = new InstancesDocument(EngineHarness.MAPPER);

  /** Who a generated step ran as, when, and what discontinued it. */
  record Timing(String runAs, Instant started, Instant ended, String discontinuedBy) {}

  /** Generated stages and the steps of each. */
  record Instances(List<RunRows.StageRow> stages, List<RunRows.StepRow> steps) {}

  @Property(tries = 300)
  void readsBackWhatItWrote(@ForAll("instances") Instances generated) {
    List<StageInstance> stages =
        generated.stages().stream().map(RunRows.StageRow::toStage).toList();
    List<StepInstance> steps = generated.steps().stream().map(step -> step.toStep(JSON)).toList();
    Map<String, String> outputs = new HashMap<>();

    String document =
        DOCUMENT.write(
            stages,
            steps,
            step -> outputs.computeIfAbsent(step.id(), id -> JSON.write(step.outputs())));
    InstancesDocument.Instances read = DOCUMENT.read(document);

    List<RunRows.StageRow> expectedStages = new ArrayList<>(generated.stages());
    expectedStages.sort(java.util.Comparator.comparingInt(RunRows.StageRow::entryNumber));
    List<RunRows.StepRow> expectedSteps = new ArrayList<>();
    for (StepInstance step : steps) {
      expectedSteps.add(RunRows.StepRow.written(step, s -> outputs.get(s.id())));
    }
    expectedSteps.sort(RunRows.stepOrder(expectedStages));
    assertThat(read.stages()).isEqualTo(expectedStages);
    assertThat(read.steps()).isEqualTo(expectedSteps);
    for (RunRows.StepRow step : expectedSteps) {
      assertThat(DOCUMENT.step(document, step.id())).isEqualTo(step);
    }
    assertThat(DOCUMENT.step(document, "no-such-step")).isNull();
    // the outputs read back as the same values
    for (RunRows.StepRow step : read.steps()) {
      StepInstance original =
          steps.stream().filter(s -> s.id().equals(step.id())).findFirst().orElseThrow();
      assertThat(step.toStep(JSON).outputs()).isEqualTo(original.outputs());
    }
  }

  @Example
  void aNullColumnHoldsNoInstances() {
    assertThat(DOCUMENT.read(null).stages()).isEmpty();
    assertThat(DOCUMENT.read(null).steps()).isEmpty();
    assertThat(DOCUMENT.step(null, "s1")).isNull();
  }

  @Example
  void aDamagedDocumentIsAnErrorNamingIt() {
    assertThatThrownBy(() -> DOCUMENT.read("{\"stages\": [{\"id\": \"a\""))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("the stored instances of a run cannot be read");
    assertThatThrownBy(() -> DOCUMENT.read("[]"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("expected START_OBJECT");
    assertThatThrownBy(() -> DOCUMENT.read("{\"stages\": [{\"id\": \"a\", \"status\": \"NOPE\"}]}"))
        .isInstanceOf(OrchestrionException.class);
  }

  @Example
  void anErrorIsKeptAsItsColumnKeptIt() {
    String error = "x".repeat(5000);
    RunRows.StageRow stage =
        new RunRows.StageRow("st", "Stage", 0, 1, Instant.EPOCH, StageStatus.IN_PROGRESS, null);
    StepInstance step =
        new StepInstance(
            "sp",
            "st",
            "Step",
            0,
            StepKind.BACKGROUND,
            stored(StepStatus.ERROR, null, error, Map.of()));

    String document = DOCUMENT.write(List.of(stage.toStage()), List.of(step), s -> "{}");

    String read = DOCUMENT.step(document, "sp").stored().error();
    assertThat(read).hasSize(3996).endsWith(" [...]").isEqualTo(Sql.truncate(error));
  }

  private static StepInstance.Stored stored(
      StepStatus status, String flow, String error, Map<String, Object> outputs) {
    return new StepInstance.Stored(
        status, 1, flow, null, null, null, null, null, outputs, error, null, null, null);
  }

  @Provide
  Arbitrary<Instances> instances() {
    return stageRow().list().ofMinSize(0).ofMaxSize(4).flatMap(this::withSteps);
  }

  private Arbitrary<Instances> withSteps(List<RunRows.StageRow> generated) {
    List<RunRows.StageRow> stages = new ArrayList<>();
    for (int i = 0; i < generated.size(); i++) {
      RunRows.StageRow s = generated.get(i);
      // ids and entry numbers are unique within a run
      stages.add(
          new RunRows.StageRow(
              "stage-" + i,
              s.name(),
              s.stageIndex(),
              i + 1,
              s.startedAt(),
              s.status(),
              s.endedAt()));
    }
    if (stages.isEmpty()) {
      return Arbitraries.just(new Instances(stages, List.of()));
    }
    return stepRow(stages)
        .list()
        .ofMaxSize(6)
        .map(
            steps -> {
              List<RunRows.StepRow> unique = new ArrayList<>();
              for (int i = 0; i < steps.size(); i++) {
                RunRows.StepRow s = steps.get(i);
                unique.add(
                    new RunRows.StepRow(
                        "step-" + i,
                        s.stageInstanceId(),
                        s.name(),
                        i,
                        s.kind(),
                        s.stored(),
                        s.outputsJson()));
              }
              return new Instances(stages, unique);
            });
  }

  private static Arbitrary<RunRows.StageRow> stageRow() {
    return Combinators.combine(
            text(),
            Arbitraries.integers().between(0, 9),
            instant(),
            Arbitraries.of(StageStatus.class),
            instant().injectNull(0.5))
        .as(
            (name, index, started, status, ended) ->
                new RunRows.StageRow("", name, index, 0, started, status, ended));
  }

  private static Arbitrary<RunRows.StepRow> stepRow(List<RunRows.StageRow> stages) {
    Arbitrary<StepInstance.Stored> stored =
        Combinators.combine(
                Arbitraries.of(StepStatus.class),
                Arbitraries.integers().between(0, 5),
                text().injectNull(0.3),
                Arbitraries.integers().between(1, 99).injectNull(0.3),
                Arbitraries.of(ExecutionMode.class).injectNull(0.3),
                text().injectNull(0.5),
                Arbitraries.of(RunMode.class).injectNull(0.3),
                text().injectNull(0.5))
            .as(
                (status, attempt, flow, version, mode, reason, runMode, error) ->
                    new StepInstance.Stored(
                        status, attempt, flow, version, mode, reason, null, runMode, null, error,
                        null, null, null));
    return Combinators.combine(
            Arbitraries.of(stages),
            text(),
            Arbitraries.of(StepKind.class),
            stored,
            Combinators.combine(
                    text().injectNull(0.5),
                    instant().injectNull(0.3),
                    instant().injectNull(0.5),
                    text().injectNull(0.7))
                .as(Timing::new),
            outputs())
        .as(
            (stage, name, kind, s, more, outputs) ->
                new RunRows.StepRow(
                    "",
                    stage.id(),
                    name,
                    0,
                    kind,
                    new StepInstance.Stored(
                        s.status(),
                        s.attempt(),
                        s.flow(),
                        s.flowVersion(),
                        s.executionMode(),
                        s.executionReason(),
                        more.runAs(),
                        s.runMode(),
                        null,
                        s.error(),
                        more.started(),
                        more.ended(),
                        more.discontinuedBy()),
                    outputs.isEmpty() ? null : JSON.write(outputs)));
  }

  /** Outputs as a flow leaves them: text, numbers, booleans, nulls, lists and nested maps. */
  private static Arbitrary<Map<String, Object>> outputs() {
    Arbitrary<Object> leaf =
        Arbitraries.oneOf(
            text().map(Object.class::cast),
            Arbitraries.longs().map(Object.class::cast),
            Arbitraries.of(true, false).map(Object.class::cast),
            Arbitraries.bigDecimals()
                .ofScale(3)
                .between(new java.math.BigDecimal("-1e6"), new java.math.BigDecimal("1e6"))
                .map(Object.class::cast));
    Arbitrary<Object> value =
        Arbitraries.oneOf(
            leaf,
            leaf.list().ofMaxSize(3).map(Object.class::cast),
            Arbitraries.maps(text(), leaf)
                .ofMaxSize(2)
                .map(LinkedHashMap::new)
                .map(Object.class::cast));
    return Arbitraries.maps(text().ofMinLength(1), value).ofMaxSize(3).map(LinkedHashMap::new);
  }

  private static net.jqwik.api.arbitraries.StringArbitrary text() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars('"', '\\', '\n', '\t', 'é', '€', '\u2028', '\u0000')
        .ofMaxLength(12);
  }

  private static Arbitrary<Instant> instant() {
    return Arbitraries.longs()
        .between(0, 4_102_444_800L)
        .flatMap(
            seconds ->
                Arbitraries.integers()
                    .between(0, 999_999_999)
                    .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
  }
}

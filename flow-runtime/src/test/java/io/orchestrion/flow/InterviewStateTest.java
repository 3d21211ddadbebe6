package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.flow.json.StoredJsonReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InterviewStateTest {
  private final StoredJsonReader reader = new StoredJsonReader(Fixtures.MAPPER);

  @Test
  void valuesSurviveAJsonRoundTripWithTheirTypesAndScales() throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Id", "EXP-1");
    fields.put("Amount", new BigDecimal("12.50"));
    fields.put("Due", LocalDate.of(2025, 3, 31));
    fields.put("Category", null);
    RecordData record = new RecordData("Expense", fields, 7);
    Map<String, InterviewState.Value> variables = new LinkedHashMap<>();
    variables.put("expense", InterviewState.Value.of(record));
    variables.put("price", InterviewState.Value.of(new BigDecimal("100.00")));
    variables.put("when", InterviewState.Value.of(Instant.parse("2025-03-01T09:00:00.123Z")));
    variables.put("flag", InterviewState.Value.of(true));
    variables.put("names", InterviewState.Value.of(Arrays.asList("a", null, "c")));
    InterviewState state =
        new InterviewState(
            InterviewState.FORMAT_VERSION,
            List.of(
                new InterviewState.Frame(
                    "Score_Risk",
                    3,
                    "Cool_Off",
                    variables,
                    Optional.of("it broke"),
                    Map.of("Each.position", InterviewState.Value.of(new BigDecimal("3"))))),
            42,
            1_500_000,
            Optional.of(
                new InterviewState.PendingAction(
                    "mail.send",
                    Map.of("to", InterviewState.Value.of("ann@example.com")),
                    "run-1/step-1/1/Send#7",
                    "ann",
                    RunMode.SYSTEM_WITHOUT_SHARING)));

    String json = Fixtures.MAPPER.writeValueAsString(state);
    InterviewState read = reader.read(json, InterviewState.class, "interview state");

    assertThat(read).isEqualTo(state);
    assertThat(json)
        .contains("\"formatVersion\":3")
        .contains("{\"t\":\"DECIMAL\",\"v\":\"100.00\"}")
        .contains("{\"t\":\"DATE\",\"v\":\"2025-03-31\"}");
    Map<String, InterviewState.Value> readVariables = read.frames().getFirst().variables();
    assertThat(readVariables.get("expense").decode()).isEqualTo(record);
    assertThat(((BigDecimal) readVariables.get("price").decode()).scale()).isEqualTo(2);
    assertThat(readVariables.get("when").decode())
        .isEqualTo(Instant.parse("2025-03-01T09:00:00.123Z"));
    assertThat(readVariables.get("names").decode()).isEqualTo(Arrays.asList("a", null, "c"));
    assertThat(read.pendingAction().orElseThrow().decodedInputs())
        .isEqualTo(Map.of("to", "ann@example.com"));
  }

  @Test
  void unknownPropertiesOfStoredStateAreIgnored() {
    InterviewState state =
        reader.read(
            """
            {"formatVersion": 1, "executedElements": 3, "addedLater": true,
             "frames": [{"flowApiName": "F", "flowVersion": 1, "element": "W", "variables": {}}]}""",
            InterviewState.class,
            "interview state");

    assertThat(state.frames().getFirst().element()).isEqualTo("W");
  }

  @Test
  void aLaterFormatVersionIsRejected() {
    assertThatThrownBy(
            () ->
                reader.read(
                    """
                    {"formatVersion": 4, "executedElements": 3,
                     "frames": [{"flowApiName": "F", "flowVersion": 1, "element": "W"}]}""",
                    InterviewState.class,
                    "interview state"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("unsupported interview state format 4");
  }
}

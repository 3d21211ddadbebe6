package io.orchestrion.flow.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.orchestration.ConditionSpec;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrchestrionJsonTest {
  private final ObjectMapper mapper = OrchestrionJson.newObjectMapper();
  private final StrictJsonReader reader = new StrictJsonReader(mapper);

  @Test
  void aDocumentOnAVirtualThreadReusesBuffersAnotherThreadGaveBack() throws Exception {
    RecyclerPool<BufferRecycler> pool = mapper.getFactory()._getRecyclerPool();
    onVirtualThread(() -> mapper.writeValueAsString(Map.of("amount", 12)));
    int pooled = pool.pooledCount();
    // Jackson's thread-local default answers -1 here: it keeps nothing a new thread could take.
    assertThat(pooled).isPositive();

    BufferRecycler[] taken = new BufferRecycler[1];
    onVirtualThread(() -> taken[0] = pool.acquireAndLinkPooled());
    assertThat(pool.pooledCount()).isEqualTo(pooled - 1);
    taken[0].releaseToPool();
    assertThat(pool.pooledCount()).isEqualTo(pooled);
  }

  private static void onVirtualThread(java.util.concurrent.Callable<?> work) throws Exception {
    Exception[] failure = new Exception[1];
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                work.call();
              } catch (Exception e) {
                failure[0] = e;
              }
            })
        .join();
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  @Test
  void conditionSpecKeepsItsConfigurationBesideItsType() throws Exception {
    String json = "{\"type\":\"STEP_COMPLETED\",\"step\":\"Mark\"}";

    ConditionSpec spec = reader.read(json, ConditionSpec.class, "Condition");

    assertThat(spec.type()).isEqualTo("STEP_COMPLETED");
    assertThat(spec.config()).isEqualTo(Map.of("step", "Mark"));
    assertThat(mapper.writeValueAsString(spec)).isEqualTo(json);
  }

  @Test
  void exampleFlowsRoundTripExactly() throws Exception {
    for (String name :
        new String[] {"flow-mark-in-review.json", "flow-score-risk.json", "flow-is-large.json"}) {
      FlowDefinition definition = reader.read(fixture(name), FlowDefinition.class, name);

      String written = mapper.writeValueAsString(definition);

      assertThat(reader.read(written, FlowDefinition.class, name)).isEqualTo(definition);
    }
  }

  @Test
  void nullLiteralsSurviveARoundTrip() throws Exception {
    ValueSpec literal = ValueSpec.literal(null);

    String json = mapper.writeValueAsString(literal);

    assertThat(json).isEqualTo("{\"value\":null}");
    assertThat(reader.read(json, ValueSpec.class, "Value")).isEqualTo(literal);
  }

  record Sample(
      BigDecimal amount, LocalDate day, Instant at, Optional<String> missing, String none) {}

  @Test
  void decimalsAreExactDatesAreIsoStringsAndAbsentValuesAreOmitted() throws Exception {
    Sample sample =
        new Sample(
            new BigDecimal("1E+3"),
            LocalDate.of(2025, 1, 31),
            Instant.parse("2025-01-31T10:15:30Z"),
            Optional.empty(),
            null);

    assertThat(mapper.writeValueAsString(sample))
        .isEqualTo("{\"amount\":1000,\"day\":\"2025-01-31\",\"at\":\"2025-01-31T10:15:30Z\"}");
    // Map values keep their nulls: a record's unset field must survive as null.
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Category", null);
    assertThat(mapper.writeValueAsString(fields)).isEqualTo("{\"Category\":null}");
    assertThat(mapper.readValue("{\"x\": 0.1}", Map.class).get("x"))
        .isEqualTo(new BigDecimal("0.1"));
  }

  private static String fixture(String name) throws Exception {
    try (InputStream in = OrchestrionJsonTest.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

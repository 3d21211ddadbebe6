package io.orchestrion.plugins.httpcallout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesObjectsArraysAndExactNumbers() {
    Object document =
        Json.parse(
            """
            {"result": {"score": 0.1, "tier": "gold", "ok": true, "none": null,
                        "tags": ["a", "b\\u00e9\\n"], "a/b": 7}}
            """);

    assertThat(Json.at(document, "/result/score")).contains(new BigDecimal("0.1"));
    assertThat(Json.at(document, "/result/tier")).contains("gold");
    assertThat(Json.at(document, "/result/ok")).contains(true);
    assertThat(Json.at(document, "/result/none")).isEmpty();
    assertThat(Json.at(document, "/result/missing")).isEmpty();
    assertThat(Json.at(document, "/result/tags/1")).contains("bé\n");
    assertThat(Json.at(document, "/result/tags/2")).isEmpty();
    assertThat(Json.at(document, "/result/a~1b")).contains(new BigDecimal("7"));
  }

  @Test
  void writesWhatItParses() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("text", "quote \" and \\ and \u0001");
    value.put("amount", new BigDecimal("12.50"));
    value.put("flags", List.of(true, false));
    value.put("nothing", null);

    String json = Json.write(value);

    assertThat(json)
        .isEqualTo(
            "{\"text\":\"quote \\\" and \\\\ and \\u0001\",\"amount\":12.50,"
                + "\"flags\":[true,false],\"nothing\":null}");
    assertThat(Json.parse(json)).isEqualTo(value);
  }

  @Test
  void rejectsWhatIsNoJsonNamingTheOffset() {
    assertThatThrownBy(() -> Json.parse("{\"a\": 01}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 6");
    assertThatThrownBy(() -> Json.parse("<html>"))
        .hasMessage("invalid JSON at offset 0: unexpected character '<'");
    assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("after the JSON value");
    assertThatThrownBy(() -> Json.parse("[".repeat(100))).hasMessageContaining("nested deeper");
  }
}

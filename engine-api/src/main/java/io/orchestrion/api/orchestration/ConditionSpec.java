package io.orchestrion.api.orchestration;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A condition as written in a definition: {@code {"type": "STEP_COMPLETED", "step": "Mark"}}. The
 * {@code type} names a condition type (built in or from a plugin); every other property is its
 * configuration ({@code config}), validated by that type at deploy time. Configuration values are
 * plain JSON values: String, Boolean, Number, List, Map, or null.
 */
public record ConditionSpec(String type, @JsonAnySetter @JsonAnyGetter Map<String, Object> config) {
  public ConditionSpec {
    requireNonNull(type, "type is null");
    config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }

  public static ConditionSpec of(String type) {
    return new ConditionSpec(type, Map.of());
  }
}

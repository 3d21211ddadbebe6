package io.orchestrion.engine.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON columns of the run tables (variables, outputs, payloads) as maps. */
final class RunJson {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ObjectMapper mapper;
  // Resolved once: ObjectMapper.readValue resolves the type and builds a reader at every call.
  private final ObjectReader mapReader;

  @Inject
  RunJson(ObjectMapper mapper) {
    this.mapper = mapper;
    this.mapReader = mapper.readerFor(MAP);
  }

  /** A stored JSON object, as a mutable map; an empty map for a null or empty column. */
  Map<String, Object> readMap(String json) {
    if (json == null || json.isEmpty() || json.equals("{}")) {
      return new LinkedHashMap<>();
    }
    try {
      return mapReader.readValue(json);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR, "stored JSON cannot be read: " + e.getMessage(), e);
    }
  }

  String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "value cannot be written as JSON: " + e.getMessage(),
          e);
    }
  }
}

package io.orchestrion.flow.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;

/**
 * Reads JSON the engine stored itself (interview state, stored definitions). Tolerant: unknown
 * properties are ignored, so that a newer engine's extra properties do not break an older reader
 * during a rolling upgrade. A document that cannot be read is an internal error, not the caller's.
 * Thread-safe.
 */
public final class StoredJsonReader {
  private final ObjectMapper mapper;

  public StoredJsonReader(ObjectMapper mapper) {
    this.mapper = requireNonNull(mapper, "mapper is null");
  }

  /**
   * @param what names the document in the exception message, e.g. {@code "interview state of step
   *     42"}
   */
  public <T> T read(String json, Class<T> type, String what) {
    ObjectReader reader =
        mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try {
      T value = reader.readValue(json);
      if (value == null) {
        throw new OrchestrionException(StandardErrorCode.INTERNAL_ERROR, what + " is empty");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "cannot read stored " + what + ": " + StrictJsonReader.toProblem(e),
          e);
    }
  }
}

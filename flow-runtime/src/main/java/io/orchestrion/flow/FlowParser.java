package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.flow.json.StrictJsonReader;
import jakarta.inject.Inject;

/** Reads flow documents strictly (unknown properties are errors) and writes them back. */
public final class FlowParser {
  private final ObjectMapper mapper;
  private final StrictJsonReader reader;

  @Inject
  public FlowParser(ObjectMapper mapper) {
    this.mapper = requireNonNull(mapper, "mapper is null");
    this.reader = new StrictJsonReader(mapper, StandardErrorCode.INVALID_DEFINITION);
  }

  /**
   * @throws OrchestrionException INVALID_DEFINITION listing every unknown property and the first
   *     structural problem, each with its JSON path
   */
  public FlowDefinition parse(String json) {
    return reader.read(json, FlowDefinition.class, "Flow definition");
  }

  public String toJson(FlowDefinition definition) {
    try {
      return mapper.writeValueAsString(definition);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "cannot write flow '" + definition.apiName() + "' as JSON",
          e);
    }
  }
}

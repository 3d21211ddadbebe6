package io.orchestrion.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;

/** A response as tests see it: status, headers, raw body and the body as a JSON tree. */
public record ApiResponse(int status, HttpHeaders headers, String body) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public JsonNode json() {
    try {
      return MAPPER.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException("Response body is not JSON: " + body, e);
    }
  }

  public String contentType() {
    return headers.firstValue("content-type").orElse("");
  }

  @Override
  public String toString() {
    return status + " " + body;
  }
}

package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.DocumentKind;
import io.orchestrion.server.http.Readiness.Check;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The endpoints that need no token: the health checks, the OpenAPI document and the JSON Schemas of
 * definitions. They run on the event loop and never wait behind API requests: {@code /health} and
 * {@code /health/live} do no work at all, {@code /health/ready} hands its database check to the
 * {@link ReadinessProbe}.
 */
public final class PublicEndpoints {
  private static final String OPENAPI_RESOURCE = "/openapi.yaml";
  private static final String UP = "{\"status\":\"UP\"}";

  /** Where the JSON Schemas of definitions are served, and kept on the class path. */
  public static final String SCHEMAS_PATH = "/schemas/";

  private final byte[] openApi;
  private final Map<String, byte[]> schemas;
  private final ReadinessProbe readiness;
  private final ObjectMapper objectMapper;

  @Inject
  public PublicEndpoints(ReadinessProbe readiness, ObjectMapper objectMapper) {
    this.readiness = requireNonNull(readiness, "readiness is null");
    this.objectMapper = requireNonNull(objectMapper, "objectMapper is null");
    this.openApi = load(OPENAPI_RESOURCE);
    Map<String, byte[]> schemas = new LinkedHashMap<>();
    for (DocumentKind kind : DocumentKind.values()) {
      schemas.put(kind.schemaFileName(), load(SCHEMAS_PATH + kind.schemaFileName()));
    }
    this.schemas = Map.copyOf(schemas);
  }

  /** The file names served under {@link #SCHEMAS_PATH}: one JSON Schema per definition kind. */
  public static List<String> schemaFileNames() {
    return java.util.Arrays.stream(DocumentKind.values())
        .map(DocumentKind::schemaFileName)
        .toList();
  }

  /** {@code /health} and {@code /health/live}: the process serves HTTP. */
  void health(RoutingContext context) {
    context.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(UP);
  }

  /**
   * {@code /health/ready}: 200 when every check is up, else 503; the body lists the checks, so a
   * DOWN names the failing one.
   */
  void ready(RoutingContext context) {
    readiness
        .probe()
        .whenComplete(
            (checks, failure) -> {
              List<Check> all =
                  failure == null
                      ? checks
                      : List.of(Check.down("readiness", "the probe failed: " + failure));
              boolean up = all.stream().allMatch(Check::up);
              context
                  .response()
                  .setStatusCode(up ? 200 : 503)
                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                  .end(readinessBody(up, all));
            });
  }

  private String readinessBody(boolean up, List<Check> checks) {
    List<Map<String, String>> entries = new ArrayList<>();
    for (Check check : checks) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("name", check.name());
      entry.put("status", check.up() ? "UP" : "DOWN");
      entry.put("detail", check.detail());
      entries.add(entry);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("checks", entries);
    try {
      return objectMapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  void openApi(RoutingContext context) {
    context
        .response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml")
        .end(io.vertx.core.buffer.Buffer.buffer(openApi));
  }

  /**
   * {@code /schemas/<kind>.schema.json}: the JSON Schema of object types, flows or orchestrations
   * (docs/definitions-as-code.md), which a definition names with {@code $schema}.
   */
  void schema(RoutingContext context, String fileName) {
    context
        .response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/schema+json")
        .end(io.vertx.core.buffer.Buffer.buffer(schemas.get(fileName)));
  }

  private static byte[] load(String resource) {
    try (InputStream in = PublicEndpoints.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new OrchestrionException(
            StandardErrorCode.INTERNAL_ERROR, "Missing class-path resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

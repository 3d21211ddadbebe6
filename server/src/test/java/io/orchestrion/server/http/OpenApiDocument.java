package io.orchestrion.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The served openapi.yaml, read for tests: path templates, {@code $ref} resolution and validation
 * of a JSON value against one of its schemas (JSON Schema draft 2020-12, the document's component
 * schemas as {@code $defs}).
 */
final class OpenApiDocument {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode document;

  private OpenApiDocument(JsonNode document) {
    this.document = document;
  }

  /** The document on the class path ({@code /openapi.yaml}, as the server serves it). */
  static OpenApiDocument load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream("/openapi.yaml")) {
      return new OpenApiDocument(new ObjectMapper(new YAMLFactory()).readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode root() {
    return document;
  }

  /** The documented path template that {@code path} is an instance of. */
  Optional<String> template(String path) {
    Iterator<String> templates = document.path("paths").fieldNames();
    while (templates.hasNext()) {
      String template = templates.next();
      String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
      if (path.matches(regex)) {
        return Optional.of(template);
      }
    }
    return Optional.empty();
  }

  /** {@code node}, or what its {@code $ref} chain points at. */
  JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    while (current.has("$ref")) {
      current = document.at(current.get("$ref").asText().substring(1));
    }
    return current;
  }

  /** The errors of {@code body} (JSON text) against {@code schema}; empty when it is valid. */
  List<String> validate(JsonNode schema, String body) {
    try {
      return validate(schema, JSON.readTree(body));
    } catch (IOException e) {
      return List.of(e.toString());
    }
  }

  /** The errors of {@code value} against {@code schema}; empty when it is valid. */
  List<String> validate(JsonNode schema, JsonNode value) {
    try {
      ObjectNode wrapper = (ObjectNode) rewrite(schema.deepCopy());
      ObjectNode defs = wrapper.putObject("$defs");
      document
          .path("components")
          .path("schemas")
          .properties()
          .forEach(entry -> defs.set(entry.getKey(), rewrite(entry.getValue().deepCopy())));
      Validator validator =
          Validator.create(
              JsonSchema.of(new JsonObject(JSON.writeValueAsString(wrapper))),
              new JsonSchemaOptions()
                  .setDraft(Draft.DRAFT202012)
                  .setBaseUri("https://orchestrion.invalid/openapi")
                  .setOutputFormat(OutputFormat.Basic));
      String text = JSON.writeValueAsString(value);
      Object instance =
          value.isObject()
              ? new JsonObject(text)
              : value.isArray() ? new JsonArray(text) : JSON.treeToValue(value, Object.class);
      OutputUnit result = validator.validate(instance);
      if (Boolean.TRUE.equals(result.getValid())) {
        return List.of();
      }
      List<String> errors = new ArrayList<>();
      if (result.getErrors() != null) {
        result.getErrors().forEach(e -> errors.add(e.getInstanceLocation() + ": " + e.getError()));
      }
      return errors.isEmpty() ? List.of(String.valueOf(result.getError())) : errors;
    } catch (IOException e) {
      return List.of(e.toString());
    }
  }

  private static JsonNode rewrite(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      if (object.has("$ref")) {
        object.put(
            "$ref", object.get("$ref").asText().replace("#/components/schemas/", "#/$defs/"));
      }
      object.properties().forEach(entry -> rewrite(entry.getValue()));
    } else if (node.isArray()) {
      node.forEach(OpenApiDocument::rewrite);
    }
    return node;
  }
}

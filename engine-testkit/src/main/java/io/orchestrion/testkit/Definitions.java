package io.orchestrion.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.flow.json.StrictJsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Definitions read from class-path resources, each recognised by its shape: an object type has
 * {@code fields}, a flow {@code elements}, an orchestration {@code stages}. Reading is as strict as
 * the API's: an unknown property is an error naming its JSON path and the resource.
 */
final class Definitions {
  private static final ObjectMapper MAPPER = OrchestrionJson.newObjectMapper();

  /** One definition and the resource it came from. */
  sealed interface Loaded {
    String resource();
  }

  record ObjectType(String resource, ObjectTypeDefinition definition) implements Loaded {}

  record Flow(String resource, FlowDefinition definition) implements Loaded {}

  record Orchestration(String resource, OrchestrationDefinition definition) implements Loaded {}

  private Definitions() {}

  /** The definitions in {@code resources}, object types first, then flows, then orchestrations. */
  static List<Loaded> load(ClassLoader loader, List<String> resources) {
    List<Loaded> objectTypes = new ArrayList<>();
    List<Loaded> flows = new ArrayList<>();
    List<Loaded> orchestrations = new ArrayList<>();
    for (String resource : resources) {
      Loaded loaded = load(loader, resource);
      switch (loaded) {
        case ObjectType objectType -> objectTypes.add(objectType);
        case Flow flow -> flows.add(flow);
        case Orchestration orchestration -> orchestrations.add(orchestration);
      }
    }
    List<Loaded> ordered = new ArrayList<>(objectTypes);
    ordered.addAll(flows);
    ordered.addAll(orchestrations);
    return ordered;
  }

  static Loaded load(ClassLoader loader, String resource) {
    String json = read(loader, resource);
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "definition resource '%s' is not JSON: %s".formatted(resource, e.getMessage()), e);
    }
    StrictJsonReader reader = new StrictJsonReader(MAPPER);
    try {
      if (tree != null && tree.has("stages")) {
        return new Orchestration(
            resource, reader.read(json, OrchestrationDefinition.class, "orchestration"));
      }
      if (tree != null && tree.has("elements")) {
        return new Flow(resource, reader.read(json, FlowDefinition.class, "flow"));
      }
      if (tree != null && tree.has("fields")) {
        return new ObjectType(
            resource, reader.read(json, ObjectTypeDefinition.class, "object type"));
      }
    } catch (OrchestrionException e) {
      throw new IllegalArgumentException(describe(resource, e), e);
    }
    throw new IllegalArgumentException(
        ("definition resource '%s' is neither an object type (with \"fields\"), a flow (with"
                + " \"elements\") nor an orchestration (with \"stages\")")
            .formatted(resource));
  }

  /** The exception's message with each problem's JSON path, prefixed by the resource. */
  static String describe(String resource, OrchestrionException e) {
    StringBuilder text = new StringBuilder(resource).append(": ").append(e.getMessage());
    e.getProblems().forEach(problem -> text.append("\n  ").append(problem));
    return text.toString();
  }

  private static String read(ClassLoader loader, String resource) {
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no definition resource '" + resource + "' on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read definition resource '" + resource + "'", e);
    }
  }
}

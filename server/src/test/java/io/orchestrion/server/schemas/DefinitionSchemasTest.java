package io.orchestrion.server.schemas;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestrion.engine.api.DocumentKind;
import io.orchestrion.flow.json.OrchestrionJson;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas in server/src/main/resources/schemas cannot drift from the definition records:
 * they are what {@link DefinitionSchemaGenerator} makes of the records (regenerate with {@code
 * -Dorchestrion.schemas.write=true}), every property Jackson reads is in them and nothing else, and
 * every shipped example definition validates against them (with a real JSON Schema validator).
 */
class DefinitionSchemasTest {
  static final Path SCHEMAS = Path.of("src/main/resources/schemas");
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static Path schemaFile(DocumentKind kind) {
    return SCHEMAS.resolve(kind.schemaFileName());
  }

  private static ObjectNode generated(DocumentKind kind) {
    return DefinitionSchemaGenerator.schemaOf(
        kind.type(), "Orchestrion " + kind.displayName() + " definition");
  }

  @Test
  void theCommittedSchemasAreTheGeneratedOnes() throws IOException {
    List<String> stale = new ArrayList<>();
    for (DocumentKind kind : DocumentKind.values()) {
      String text = MAPPER.writeValueAsString(generated(kind)) + "\n";
      Path file = schemaFile(kind);
      if (Boolean.getBoolean("orchestrion.schemas.write")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, UTF_8);
      }
      if (!Files.exists(file) || !Files.readString(file, UTF_8).equals(text)) {
        stale.add(file.toString());
      }
    }
    assertThat(stale)
        .as(
            "schemas out of date with the records; regenerate: bin/mvn -o -q -pl server -am verify"
                + " -Dtest=DefinitionSchemasTest -Dorchestrion.schemas.write=true"
                + " -Dsurefire.failIfNoSpecifiedTests=false")
        .isEmpty();
  }

  static final Path OPENAPI = Path.of("src/main/resources/openapi.yaml");
  static final String BEGIN = "    # BEGIN definition schemas";
  static final String END = "    # END definition schemas";

  /**
   * The definition schemas in openapi.yaml (components/schemas ObjectTypeDefinition,
   * FlowDefinition, OrchestrationDefinition and what they use) are the generated ones too, between
   * the BEGIN and END markers, so the API document cannot drift from the records either.
   */
  @Test
  void theOpenApiDefinitionSchemasAreTheGeneratedOnes() throws IOException {
    Map<String, JsonNode> components = new java.util.TreeMap<>();
    for (DocumentKind kind : DocumentKind.values()) {
      ObjectNode schema = generated(kind);
      ObjectNode defs = (ObjectNode) schema.remove("$defs");
      schema.remove("$schema");
      schema.remove("title");
      if (defs != null) {
        for (Map.Entry<String, JsonNode> def : defs.properties()) {
          JsonNode known = components.putIfAbsent(def.getKey(), def.getValue());
          assertThat(known == null || known.equals(def.getValue())).as(def.getKey()).isTrue();
        }
      }
      components.put(DefinitionSchemaGenerator.name(kind.type()), schema);
    }
    String yaml =
        new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
            .disable(
                com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .writeValueAsString(components)
            .replace("#/$defs/", "#/components/schemas/");
    StringBuilder indented = new StringBuilder();
    yaml.lines().forEach(line -> indented.append("    ").append(line).append('\n'));
    String text = Files.readString(OPENAPI, UTF_8);
    int begin = text.indexOf('\n', text.indexOf(BEGIN));
    begin = text.indexOf('\n', begin + 1) + 1; // after the two comment lines
    int end = text.indexOf(END);
    assertThat(begin).isPositive();
    assertThat(end).isGreaterThan(begin - 1);
    String expected = text.substring(0, begin) + indented + text.substring(end);
    if (Boolean.getBoolean("orchestrion.schemas.write")) {
      Files.writeString(OPENAPI, expected, UTF_8);
      text = expected;
    }
    assertThat(text)
        .as(
            "openapi.yaml's definition schemas are out of date; regenerate: bin/mvn -o -q -pl"
                + " server -am verify -Dtest=DefinitionSchemasTest -Dorchestrion.schemas.write=true"
                + " -Dsurefire.failIfNoSpecifiedTests=false")
        .isEqualTo(expected);
  }

  /** Walks the schema and the records side by side; Jackson says which properties a record has. */
  @Test
  void everyPropertyJacksonReadsIsInTheSchemaAndNothingElse() throws IOException {
    ObjectMapper engineMapper = OrchestrionJson.newObjectMapper();
    int checked = 0;
    for (DocumentKind kind : DocumentKind.values()) {
      JsonNode schema = MAPPER.readTree(schemaFile(kind).toFile());
      Set<Class<?>> records = new java.util.LinkedHashSet<>();
      collectRecords(kind.type(), records);
      for (Class<?> record : records) {
        JsonNode node =
            record == kind.type()
                ? schema
                : schema.path("$defs").path(DefinitionSchemaGenerator.name(record));
        assertThat(node.isObject()).as("%s in %s", record, kind).isTrue();
        Set<String> documented = new TreeSet<>();
        node.path("properties").fieldNames().forEachRemaining(documented::add);
        documented.remove("$schema");
        BeanDescription description =
            engineMapper.getDeserializationConfig().introspect(engineMapper.constructType(record));
        Set<String> read = new TreeSet<>();
        Set<String> anySetters = new TreeSet<>();
        for (var component : record.getRecordComponents()) {
          if (DefinitionSchemaGenerator.annotation(
                  component, com.fasterxml.jackson.annotation.JsonAnySetter.class)
              != null) {
            anySetters.add(component.getName());
          }
        }
        for (BeanPropertyDefinition property : description.findProperties()) {
          if (property.couldDeserialize()
              && !property.getName().isEmpty()
              && !anySetters.contains(property.getName())) {
            read.add(property.getName());
          }
        }
        // Other properties are allowed exactly where a map collects them.
        assertThat(node.path("additionalProperties").asBoolean())
            .as("additionalProperties of %s", record.getName())
            .isEqualTo(!anySetters.isEmpty());
        // The type property of a subtype is Jackson's, not the record's.
        String discriminator = discriminatorOf(record);
        if (discriminator != null) {
          read.add(discriminator);
        }
        assertThat(documented).as("properties of %s in %s", record.getName(), kind).isEqualTo(read);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(30);
  }

  private static String discriminatorOf(Class<?> record) {
    for (Class<?> parent : record.getInterfaces()) {
      com.fasterxml.jackson.annotation.JsonTypeInfo info =
          parent.getAnnotation(com.fasterxml.jackson.annotation.JsonTypeInfo.class);
      if (info != null && info.use() == com.fasterxml.jackson.annotation.JsonTypeInfo.Id.NAME) {
        return info.property();
      }
    }
    return null;
  }

  private static void collectRecords(java.lang.reflect.Type type, Set<Class<?>> records) {
    if (type instanceof java.lang.reflect.ParameterizedType parameterized) {
      for (java.lang.reflect.Type argument : parameterized.getActualTypeArguments()) {
        collectRecords(argument, records);
      }
      return;
    }
    if (!(type instanceof Class<?> raw)) {
      return;
    }
    if (raw.isSealed()) {
      for (Class<?> subtype : raw.getPermittedSubclasses()) {
        collectRecords(subtype, records);
      }
    } else if (raw.isRecord() && records.add(raw)) {
      for (var component : raw.getRecordComponents()) {
        collectRecords(component.getGenericType(), records);
      }
    }
  }

  static Validator validator(DocumentKind kind) throws IOException {
    JsonObject schema = new JsonObject(Files.readString(schemaFile(kind), UTF_8));
    return Validator.create(
        JsonSchema.of(schema),
        new JsonSchemaOptions()
            .setDraft(Draft.DRAFT202012)
            .setBaseUri("https://orchestrion.invalid/schemas/")
            .setOutputFormat(io.vertx.json.schema.OutputFormat.Basic));
  }

  /** The kind's schema's verdict on {@code document}: empty when valid, else the errors. */
  static List<String> schemaErrors(DocumentKind kind, String document) throws IOException {
    OutputUnit result = validator(kind).validate(new JsonObject(document));
    if (Boolean.TRUE.equals(result.getValid())) {
      return List.of();
    }
    List<String> errors = new ArrayList<>();
    if (result.getErrors() != null) {
      for (OutputUnit error : result.getErrors()) {
        errors.add(error.getInstanceLocation() + ": " + error.getError());
      }
    }
    return errors.isEmpty() ? List.of(String.valueOf(result.getError())) : errors;
  }

  /** Every definition the server ships or tests with: the demo's and the test fixtures. */
  static Map<Path, DocumentKind> exampleDefinitions() throws IOException {
    Map<Path, DocumentKind> examples = new java.util.TreeMap<>();
    for (Path directory :
        List.of(Path.of("src/main/resources/demo"), Path.of("src/test/resources/fixtures"))) {
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : files.sorted().toList()) {
          String name = file.getFileName().toString();
          if (name.endsWith(".object.json")) {
            examples.put(file, DocumentKind.OBJECT_TYPE);
          } else if (name.startsWith("flow-")) {
            examples.put(file, DocumentKind.FLOW);
          } else if (name.startsWith("orchestration-")) {
            examples.put(file, DocumentKind.ORCHESTRATION);
          }
        }
      }
    }
    return examples;
  }

  @Test
  void everyExampleDefinitionIsValidAgainstItsSchemaAndNamesIt() throws IOException {
    Map<Path, DocumentKind> examples = exampleDefinitions();
    assertThat(examples).hasSizeGreaterThanOrEqualTo(6);
    for (Map.Entry<Path, DocumentKind> example : examples.entrySet()) {
      String text = Files.readString(example.getKey(), UTF_8);
      assertThat(schemaErrors(example.getValue(), text)).as(example.getKey().toString()).isEmpty();
    }
    for (Map.Entry<Path, DocumentKind> demo : examples.entrySet()) {
      if (demo.getKey().startsWith("src/main/resources/demo")) {
        assertThat(MAPPER.readTree(demo.getKey().toFile()).path("$schema").asText())
            .as(demo.getKey().toString())
            .isEqualTo("../schemas/" + demo.getValue().schemaFileName());
      }
    }
  }

  @Test
  void theSchemasRefuseWhatTheStrictReaderRefuses() throws IOException {
    String flow = Files.readString(Path.of("src/main/resources/demo/flow-is-large.json"), UTF_8);
    String orchestration =
        Files.readString(Path.of("src/main/resources/demo/orchestration-expense.json"), UTF_8);

    assertThat(schemaErrors(DocumentKind.FLOW, flow.replace("\"start\"", "\"begin\"")))
        .isNotEmpty();
    assertThat(schemaErrors(DocumentKind.FLOW, flow.replace("\"Decision\"", "\"Choice\"")))
        .isNotEmpty();
    assertThat(
            schemaErrors(
                DocumentKind.ORCHESTRATION,
                orchestration.replace("\"kind\": \"APPROVAL\"", "\"kind\": \"MANUAL\"")))
        .isNotEmpty();
    assertThat(
            schemaErrors(
                DocumentKind.ORCHESTRATION,
                orchestration.replace("\"onReject\"", "\"onRejected\"")))
        .isNotEmpty();
    assertThat(schemaErrors(DocumentKind.OBJECT_TYPE, "{\"fields\": []}")).isNotEmpty();
    assertThat(schemaErrors(DocumentKind.OBJECT_TYPE, "{\"apiName\": \"A\", \"fields\": []}"))
        .isEmpty();
  }

  @SuppressWarnings("unused")
  private static List<String> names(Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }
}

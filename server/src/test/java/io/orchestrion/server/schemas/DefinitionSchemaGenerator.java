package io.orchestrion.server.schemas;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes the JSON Schema (draft 2020-12) of a definition record from the record itself: every
 * record component is a property (its {@code @JsonProperty} name; a {@code @JsonAnySetter} map
 * allows other properties), sealed interfaces with {@code @JsonTypeInfo} become {@code oneOf} their
 * subtypes with the type property's constant, enums their constants. A component is required when
 * the record's constructor refuses null for it (probed with sample values), which is what the
 * strict reader reports as "missing required property". Unknown properties are refused ({@code
 * additionalProperties: false}), as the strict reader does, except {@code $schema} at the top.
 */
final class DefinitionSchemaGenerator {
  static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, ObjectNode> definitions = new TreeMap<>();

  /** The schema document of {@code root}, titled {@code title}. */
  static ObjectNode schemaOf(Class<?> root, String title) {
    DefinitionSchemaGenerator generator = new DefinitionSchemaGenerator();
    ObjectNode body = generator.recordSchema(root, Optional.empty());
    ObjectNode document = generator.mapper.createObjectNode();
    document.put("$schema", DIALECT);
    document.put("title", title);
    document.put(
        "description",
        "Generated from " + root.getName() + " by DefinitionSchemasTest; do not edit by hand.");
    ObjectNode properties = (ObjectNode) body.get("properties");
    ObjectNode withSchema = generator.mapper.createObjectNode();
    withSchema
        .putObject("$schema")
        .put("type", "string")
        .put(
            "description", "The JSON Schema of this document, for editors; ignored by the engine.");
    withSchema.setAll(properties);
    body.set("properties", withSchema);
    document.setAll(body);
    generator.definitions.remove(name(root));
    if (!generator.definitions.isEmpty()) {
      document.putObject("$defs").setAll(generator.definitions);
    }
    return document;
  }

  /** The record classes (and sealed interfaces) a schema describes, by definition name. */
  static String name(Class<?> type) {
    String name = type.getName();
    return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
  }

  private JsonNode schema(Type type) {
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type[] arguments = parameterized.getActualTypeArguments();
      if (raw == Optional.class) {
        return schema(arguments[0]);
      }
      if (Collection.class.isAssignableFrom(raw)) {
        ObjectNode array = mapper.createObjectNode().put("type", "array");
        array.set("items", schema(arguments[0]));
        return array;
      }
      if (Map.class.isAssignableFrom(raw)) {
        ObjectNode object = mapper.createObjectNode().put("type", "object");
        object.set("additionalProperties", schema(arguments[1]));
        return object;
      }
      throw new IllegalArgumentException("no schema for " + type);
    }
    Class<?> raw = (Class<?>) type;
    if (raw == String.class) {
      return mapper.createObjectNode().put("type", "string");
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return mapper.createObjectNode().put("type", "boolean");
    }
    if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
      return mapper.createObjectNode().put("type", "integer");
    }
    if (raw == BigDecimal.class || raw == Double.class || raw == double.class) {
      return mapper.createObjectNode().put("type", "number");
    }
    if (raw == Object.class || raw == JsonNode.class) {
      return mapper.createObjectNode(); // any JSON value
    }
    if (raw.isEnum()) {
      ObjectNode enumeration = mapper.createObjectNode().put("type", "string");
      ArrayNode values = enumeration.putArray("enum");
      for (Object constant : raw.getEnumConstants()) {
        values.add(((Enum<?>) constant).name());
      }
      return enumeration;
    }
    if (raw.isRecord() || raw.isSealed()) {
      String name = name(raw);
      if (!definitions.containsKey(name)) {
        definitions.put(name, mapper.createObjectNode()); // placeholder: recursion ends here
        definitions.put(
            name, raw.isRecord() ? recordSchema(raw, Optional.empty()) : sealedSchema(raw));
      }
      return mapper.createObjectNode().put("$ref", "#/$defs/" + name);
    }
    throw new IllegalArgumentException("no schema for " + type);
  }

  private ObjectNode sealedSchema(Class<?> type) {
    JsonTypeInfo info = type.getAnnotation(JsonTypeInfo.class);
    JsonSubTypes subtypes = type.getAnnotation(JsonSubTypes.class);
    if (info == null || subtypes == null) {
      throw new IllegalArgumentException(type + " has no @JsonTypeInfo and @JsonSubTypes");
    }
    ObjectNode schema = mapper.createObjectNode();
    ArrayNode oneOf = schema.putArray("oneOf");
    for (JsonSubTypes.Type subtype : subtypes.value()) {
      String name = name(subtype.value());
      Optional<Discriminator> discriminator =
          info.use() == JsonTypeInfo.Id.NAME
              ? Optional.of(new Discriminator(info.property(), subtype.name()))
              : Optional.empty();
      definitions.put(name, mapper.createObjectNode());
      ObjectNode subschema = recordSchema(subtype.value(), discriminator);
      if (info.use() == JsonTypeInfo.Id.DEDUCTION) {
        // Jackson tells the subtype by the properties present: each one's are all required.
        ArrayNode all = subschema.putArray("required");
        subschema.get("properties").fieldNames().forEachRemaining(all::add);
      }
      definitions.put(name, subschema);
      oneOf.addObject().put("$ref", "#/$defs/" + name);
    }
    return schema;
  }

  private record Discriminator(String property, String value) {}

  private ObjectNode recordSchema(Class<?> type, Optional<Discriminator> discriminator) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " is not a record");
    }
    ObjectNode schema = mapper.createObjectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    List<String> required = new ArrayList<>();
    discriminator.ifPresent(
        d -> {
          properties.putObject(d.property()).put("const", d.value());
          required.add(d.property());
        });
    boolean open = false;
    RecordComponent[] components = type.getRecordComponents();
    List<Integer> requiredComponents = RequiredComponents.of(type);
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      if (annotation(component, JsonIgnore.class) != null) {
        continue;
      }
      if (annotation(component, JsonAnySetter.class) != null) {
        open = true;
        continue;
      }
      String name = propertyName(component);
      properties.set(name, schema(component.getGenericType()));
      if (requiredComponents.contains(i)) {
        required.add(name);
      }
    }
    if (!required.isEmpty()) {
      ArrayNode list = schema.putArray("required");
      required.forEach(list::add);
    }
    schema.put("additionalProperties", open);
    return schema;
  }

  /**
   * An annotation written on a record component: Java puts it on the component, the accessor or the
   * field depending on the annotation's targets.
   */
  static <A extends java.lang.annotation.Annotation> A annotation(
      RecordComponent component, Class<A> type) {
    A found = component.getAnnotation(type);
    if (found == null) {
      found = component.getAccessor().getAnnotation(type);
    }
    if (found == null) {
      try {
        found =
            component
                .getDeclaringRecord()
                .getDeclaredField(component.getName())
                .getAnnotation(type);
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException(e);
      }
    }
    return found;
  }

  static String propertyName(RecordComponent component) {
    JsonProperty property = annotation(component, JsonProperty.class);
    return property != null && !property.value().isEmpty() ? property.value() : component.getName();
  }

  /** Which components a record's canonical constructor refuses null for. */
  static final class RequiredComponents {
    private RequiredComponents() {}

    static List<Integer> of(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
      }
      Constructor<?> constructor;
      try {
        constructor = type.getDeclaredConstructor(types);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(e);
      }
      constructor.setAccessible(true);
      Object[] samples = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        samples[i] = Samples.of(components[i].getGenericType());
      }
      if (!constructs(constructor, samples)) {
        throw new IllegalStateException("cannot build a sample " + type.getName());
      }
      List<Integer> required = new ArrayList<>();
      for (int i = 0; i < components.length; i++) {
        if (components[i].getType().isPrimitive()) {
          continue; // a missing primitive reads as its default
        }
        Object[] withNull = samples.clone();
        withNull[i] = null;
        if (!constructs(constructor, withNull)) {
          required.add(i);
        }
      }
      return required;
    }

    private static boolean constructs(Constructor<?> constructor, Object[] arguments) {
      try {
        constructor.newInstance(arguments);
        return true;
      } catch (InvocationTargetException e) {
        return false;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}

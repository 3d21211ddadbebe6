package io.orchestrion.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mutates a JSON document the way a careless or hostile client would: deletes, duplicates and
 * renames properties and array items, replaces values with values of other JSON types, huge strings
 * and numbers, deep nesting, unknown enum values and wrong array/object shapes. Deep nesting is
 * written as {@link #DEEP} in the tree and expanded in the text ({@link #render}), since Jackson
 * refuses to write what it would refuse to read.
 */
final class JsonMutator {
  /** Stands for a value nested deeper than any parser accepts. */
  static final String DEEP = "\u2063deep\u2063";

  private static final int DEEP_LEVELS = 1_200;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonMutator() {}

  /** One to three mutations of a copy of {@code document}. */
  static JsonNode mutate(JsonNode document, Random random) {
    JsonNode copy = document.deepCopy();
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      copy = mutateOnce(copy, random);
    }
    return copy;
  }

  /** The document's text, with {@link #DEEP} expanded into deeply nested arrays. */
  static String render(JsonNode document) {
    String text = document.toString();
    String quoted = "\"" + DEEP + "\"";
    return text.contains(quoted)
        ? text.replace(quoted, "[".repeat(DEEP_LEVELS) + "]".repeat(DEEP_LEVELS))
        : text;
  }

  private record Slot(JsonNode container, String name, int index, JsonNode value) {}

  private static JsonNode mutateOnce(JsonNode root, Random random) {
    List<Slot> slots = new ArrayList<>();
    collect(root, slots);
    if (slots.isEmpty()) {
      return random.nextBoolean() ? replacement(root, random) : root;
    }
    Slot slot = slots.get(random.nextInt(slots.size()));
    switch (random.nextInt(7)) {
      case 0 -> remove(slot);
      case 1 -> duplicate(slot, random);
      case 2 -> rename(slot, random);
      case 3, 4 -> put(slot, replacement(slot.value(), random));
      case 5 -> put(slot, reshaped(slot.value(), random));
      default -> put(slot, deeper(slot.value(), random));
    }
    return root;
  }

  private static void collect(JsonNode node, List<Slot> slots) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> entry : object.properties()) {
        slots.add(new Slot(object, entry.getKey(), -1, entry.getValue()));
        collect(entry.getValue(), slots);
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        slots.add(new Slot(array, null, i, array.get(i)));
        collect(array.get(i), slots);
      }
    }
  }

  private static void remove(Slot slot) {
    if (slot.container() instanceof ObjectNode object) {
      object.remove(slot.name());
    } else {
      ((ArrayNode) slot.container()).remove(slot.index());
    }
  }

  private static void duplicate(Slot slot, Random random) {
    if (slot.container() instanceof ObjectNode object) {
      object.set(slot.name() + (random.nextBoolean() ? "2" : "_copy"), slot.value().deepCopy());
    } else {
      ((ArrayNode) slot.container()).insert(slot.index(), slot.value().deepCopy());
    }
  }

  private static void rename(Slot slot, Random random) {
    if (slot.container() instanceof ObjectNode object) {
      String name = slot.name();
      String renamed =
          switch (random.nextInt(4)) {
            case 0 -> name.toUpperCase(java.util.Locale.ROOT);
            case 1 -> name.isEmpty() ? "x" : name.substring(1);
            case 2 -> name + " ";
            default -> "$" + name + "['\\";
          };
      object.remove(name);
      object.set(renamed, slot.value());
    } else {
      put(slot, NODES.textNode("renamed"));
    }
  }

  private static void put(Slot slot, JsonNode value) {
    if (slot.container() instanceof ObjectNode object) {
      object.set(slot.name(), value);
    } else {
      ((ArrayNode) slot.container()).set(slot.index(), value);
    }
  }

  /** A value of another JSON type, an extreme value, or an unknown enum-like string. */
  private static JsonNode replacement(JsonNode value, Random random) {
    return switch (random.nextInt(16)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextInt(3) - 1);
      case 3 -> NODES.numberNode(new BigDecimal("1e308").multiply(BigDecimal.TEN));
      case 4 -> NODES.numberNode(new BigInteger("9".repeat(60)));
      case 5 -> NODES.numberNode(-0.000001);
      case 6 -> NODES.textNode("");
      case 7 -> NODES.textNode(" ");
      case 8 ->
          NODES.textNode(
              "x".repeat(new int[] {41, 65, 101, 256, 4_001, 70_000}[random.nextInt(6)]));
      case 9 -> NODES.textNode(value.isTextual() ? value.asText() + "_UNKNOWN" : "UNKNOWN_VALUE");
      case 10 ->
          NODES.textNode(
              value.isTextual() ? value.asText().toLowerCase(java.util.Locale.ROOT) : "true");
      case 11 -> NODES.textNode("nul\u0000char \uD83D\uDE00 '\"\\");
      case 12 -> NODES.objectNode();
      case 13 -> NODES.arrayNode();
      case 14 -> NODES.textNode("2026-13-45T25:61:00Z");
      default -> NODES.textNode(value.isTextual() ? value.asText() + value.asText() : "{}");
    };
  }

  /** The value wrapped in an array, unwrapped, or an object turned into an array and back. */
  private static JsonNode reshaped(JsonNode value, Random random) {
    if (value instanceof ArrayNode array && !array.isEmpty() && random.nextBoolean()) {
      return array.get(0);
    }
    if (value instanceof ObjectNode object && random.nextBoolean()) {
      ArrayNode values = NODES.arrayNode();
      object.properties().forEach(entry -> values.add(entry.getValue()));
      return values;
    }
    if (value instanceof ArrayNode array && random.nextBoolean()) {
      ObjectNode object = NODES.objectNode();
      for (int i = 0; i < array.size(); i++) {
        object.set("item" + i, array.get(i));
      }
      return object;
    }
    ArrayNode wrapped = NODES.arrayNode();
    wrapped.add(value);
    return wrapped;
  }

  /** Moderate nesting (parsed) or nesting beyond every parser's limit. */
  private static JsonNode deeper(JsonNode value, Random random) {
    if (random.nextInt(4) == 0) {
      return NODES.textNode(DEEP);
    }
    JsonNode nested = value;
    int levels = 1 + random.nextInt(60);
    for (int i = 0; i < levels; i++) {
      if (random.nextBoolean()) {
        ArrayNode array = NODES.arrayNode();
        array.add(nested);
        nested = array;
      } else {
        ObjectNode object = NODES.objectNode();
        object.set("value", nested);
        nested = object;
      }
    }
    return nested;
  }
}

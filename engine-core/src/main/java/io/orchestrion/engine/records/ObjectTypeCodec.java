package io.orchestrion.engine.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.SharingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stored form of an object type: the same JSON shape as an object type file. Written and read
 * through the tree model so that the stored column does not depend on how the application's
 * ObjectMapper is configured.
 */
final class ObjectTypeCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ObjectTypeCodec() {}

  static String toJson(ObjectTypeDefinition definition) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("apiName", definition.apiName());
    root.put("sharing", definition.sharing().name());
    ArrayNode fields = root.putArray("fields");
    for (FieldDefinition field : definition.fields()) {
      ObjectNode node = fields.addObject();
      node.put("name", field.name());
      node.put("type", field.type().name());
      node.put("required", field.required());
      if (!field.values().isEmpty()) {
        ArrayNode values = node.putArray("values");
        field.values().forEach(values::add);
      }
      field.objectType().ifPresent(objectType -> node.put("objectType", objectType));
      field.scale().ifPresent(scale -> node.put("scale", scale));
      if (field.approverVisible()) {
        node.put("approverVisible", true);
      }
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write object type " + definition.apiName(), e);
    }
  }

  static ObjectTypeDefinition fromJson(String json) {
    try {
      JsonNode root = MAPPER.readTree(json);
      List<FieldDefinition> fields = new ArrayList<>();
      for (JsonNode node : root.path("fields")) {
        List<String> values = new ArrayList<>();
        node.path("values").forEach(value -> values.add(value.asText()));
        fields.add(
            new FieldDefinition(
                node.path("name").asText(),
                DataType.valueOf(node.path("type").asText()),
                node.path("required").asBoolean(false),
                values,
                node.hasNonNull("objectType")
                    ? Optional.of(node.get("objectType").asText())
                    : Optional.empty(),
                node.hasNonNull("scale")
                    ? Optional.of(node.get("scale").asInt())
                    : Optional.empty(),
                node.path("approverVisible").asBoolean(false)));
      }
      return new ObjectTypeDefinition(
          root.path("apiName").asText(),
          SharingModel.valueOf(root.path("sharing").asText(SharingModel.PRIVATE.name())),
          fields);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR, "A stored object type cannot be read: " + json, e);
    }
  }
}

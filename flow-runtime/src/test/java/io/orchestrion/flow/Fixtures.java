package io.orchestrion.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.flow.json.StrictJsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The example definitions, copied unchanged from the project's shared examples. */
final class Fixtures {
  static final ObjectMapper MAPPER = OrchestrionJson.newObjectMapper();
  static final FlowParser PARSER = new FlowParser(MAPPER);

  private Fixtures() {}

  static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code text} as a JSON string literal. */
  static String quote(String text) {
    try {
      return MAPPER.writeValueAsString(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static FlowDefinition flow(String name) {
    return PARSER.parse(text(name));
  }

  static ObjectTypeDefinition expenseType() {
    return new StrictJsonReader(MAPPER)
        .read(text("expense.object.json"), ObjectTypeDefinition.class, "Object type");
  }
}

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

/**
 * The example definitions, copied from the project's shared examples. {@code flow-score-risk.json}
 * is adapted: formulas come with issue #3, so its formula {@code riskScore} is gone and the
 * Assignment {@code Score} sets {@code risk} from {@code expense.Amount} instead.
 */
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

  static FlowDefinition flow(String name) {
    return PARSER.parse(text(name));
  }

  static ObjectTypeDefinition expenseType() {
    return new StrictJsonReader(MAPPER)
        .read(text("expense.object.json"), ObjectTypeDefinition.class, "Object type");
  }
}

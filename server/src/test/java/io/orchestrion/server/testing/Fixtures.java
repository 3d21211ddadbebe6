package io.orchestrion.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The demo definitions (server/src/main/resources/demo), which the tests use as fixtures. */
public final class Fixtures {
  public static final String EXPENSE_TYPE = "expense.object.json";
  public static final String MARK_IN_REVIEW = "flow-mark-in-review.json";
  public static final String SCORE_RISK = "flow-score-risk.json";
  public static final String ORCHESTRATION = "orchestration-expense.json";
  public static final String EXPENSE_RECORD = "expense.record.json";

  private Fixtures() {}

  public static String demo(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/demo/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("No demo resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

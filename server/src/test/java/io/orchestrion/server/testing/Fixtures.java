package io.orchestrion.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The demo definitions (server/src/main/resources/demo), which the tests use as fixtures, and the
 * tests' own (src/test/resources/fixtures).
 */
public final class Fixtures {
  public static final String EXPENSE_TYPE = "expense.object.json";
  public static final String MARK_IN_REVIEW = "flow-mark-in-review.json";
  public static final String SCORE_RISK = "flow-score-risk.json";
  public static final String ORCHESTRATION = "orchestration-expense.json";
  public static final String IS_LARGE = "flow-is-large.json";

  /**
   * Expense_Approval with background steps only (Intake: Mark, then Score; Wrap_Up: Confirm), so
   * that a run ends without approvals. A test fixture ({@link #test}).
   */
  public static final String BACKGROUND_ORCHESTRATION = "orchestration-background.json";

  public static final String EXPENSE_RECORD = "expense.record.json";

  private Fixtures() {}

  public static String demo(String name) {
    return resource("/demo/" + name);
  }

  public static String test(String name) {
    return resource("/fixtures/" + name);
  }

  private static String resource(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("No class-path resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

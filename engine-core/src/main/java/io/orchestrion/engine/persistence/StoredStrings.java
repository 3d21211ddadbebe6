package io.orchestrion.engine.persistence;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.ErrorCodeSupplier;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.flow.json.JsonPaths;
import java.util.List;

/**
 * The check every string that the engine stores goes through where the engine accepts it, so that a
 * value too long for its column (see the Flyway migrations) or one a database refuses (PostgreSQL
 * text cannot hold the NUL character) is a problem naming the field and the limit rather than a
 * database error. Lengths are counted in characters (code points), as VARCHAR(n) counts them.
 */
public final class StoredStrings {
  /** Names of users, roles, groups, queues and permission sets: VARCHAR(255). */
  public static final int NAME_LENGTH = 255;

  /** A user's e-mail address: VARCHAR(320). */
  public static final int EMAIL_LENGTH = 320;

  /** Comments of submissions, decisions and audit entries: VARCHAR(4000). */
  public static final int COMMENTS_LENGTH = 4000;

  /**
   * Comments of a decision: its audit entry stores them after the decision ({@code "APPROVE: "}) in
   * the same VARCHAR(4000).
   */
  public static final int DECISION_COMMENTS_LENGTH = COMMENTS_LENGTH - 10;

  /** Api names of flows and orchestrations as other tables name them: VARCHAR(80) and more. */
  public static final int DEFINITION_API_NAME_LENGTH = 80;

  /**
   * Stage and step names: VARCHAR(100) in work_items; the run's instances document (V20) keeps the
   * same bound, so a name that fits one fits the other.
   */
  public static final int STAGE_OR_STEP_NAME_LENGTH = 100;

  /** Object type api names as granted in permission sets and shares: VARCHAR(40). */
  public static final int OBJECT_TYPE_LENGTH = 40;

  /** Field names as granted in permission sets: VARCHAR(40). */
  public static final int FIELD_NAME_LENGTH = 40;

  /** Record ids: VARCHAR(36). */
  public static final int RECORD_ID_LENGTH = 36;

  private StoredStrings() {}

  /**
   * Adds a problem at {@code path} when {@code value} (absent when null) does not fit a column of
   * {@code maxLength} characters or holds a NUL character.
   */
  public static void check(List<Problem> problems, String path, String value, int maxLength) {
    requireNonNull(problems, "problems is null");
    requireNonNull(path, "path is null");
    if (value == null) {
      return;
    }
    int length = value.codePointCount(0, value.length());
    if (length > maxLength) {
      problems.add(
          new Problem(path, "must be at most " + maxLength + " characters, was " + length));
    } else if (value.indexOf('\0') >= 0) {
      problems.add(new Problem(path, "must not contain the NUL character (\\u0000)"));
    }
  }

  /**
   * The JSON path of property {@code name} of the object at {@code parent}: {@code $.a.b}, or
   * {@code $.a['b c']} for a name that is not a simple identifier.
   */
  public static String propertyPath(String parent, String name) {
    return JsonPaths.property(parent, name);
  }

  /** Throws {@code errorCode} listing {@code problems} about {@code what}, if there are any. */
  public static void failOn(List<Problem> problems, ErrorCodeSupplier errorCode, String what) {
    if (!problems.isEmpty()) {
      throw OrchestrionException.invalid(errorCode, what + " is invalid", problems);
    }
  }
}

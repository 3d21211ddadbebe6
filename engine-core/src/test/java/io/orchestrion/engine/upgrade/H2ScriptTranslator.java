package io.orchestrion.engine.upgrade;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the statements of an H2 {@code SCRIPT} dump into PostgreSQL: {@code "PUBLIC"."X"} becomes
 * {@code x} (the engine's tables are created unquoted, so lower case on PostgreSQL), {@code MEMORY}
 * tables become plain tables, and string literals are copied untouched. Enough for the upgrade
 * fixture's data and its dynamic record tables, not a general converter.
 */
final class H2ScriptTranslator {
  private H2ScriptTranslator() {}

  /** The script's statements, split at semicolons outside string literals, without comments. */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < script.length(); i++) {
      char c = script.charAt(i);
      if (!inString && c == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        i = end < 0 ? script.length() : end;
        continue;
      }
      if (c == '\'') {
        inString = !inString; // '' inside a literal toggles twice: out and back in
      }
      if (c == ';' && !inString) {
        String statement = current.toString().strip();
        if (!statement.isEmpty()) {
          statements.add(statement);
        }
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }

  /** One statement in PostgreSQL's dialect. */
  static String toPostgres(String statement) {
    StringBuilder out = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < statement.length(); i++) {
      char c = statement.charAt(i);
      if (c == '\'') {
        inString = !inString;
        out.append(c);
      } else if (inString) {
        out.append(c);
      } else if (c == '"') {
        int end = statement.indexOf('"', i + 1);
        String identifier = statement.substring(i + 1, end);
        i = end;
        if (identifier.equals("PUBLIC")
            && i + 1 < statement.length()
            && statement.charAt(i + 1) == '.') {
          i++; // drop the schema and its dot
        } else if (identifier.equals(identifier.toUpperCase(Locale.ROOT))) {
          out.append(identifier.toLowerCase(Locale.ROOT));
        } else {
          out.append('"').append(identifier).append('"'); // quoted lower case, e.g. Flyway's
        }
      } else {
        out.append(c);
      }
    }
    return out.toString()
        .replace("CREATE MEMORY TABLE", "CREATE TABLE")
        .replace(" NULLS FIRST", "");
  }

  /** The table a CREATE TABLE, ALTER TABLE, CREATE INDEX or INSERT statement is about. */
  static String table(String postgresStatement) {
    String text = postgresStatement.strip();
    String[] words = text.split("[\\s(]+");
    if (text.startsWith("CREATE TABLE") || text.startsWith("ALTER TABLE")) {
      return unquote(words[2]);
    }
    if (text.startsWith("INSERT INTO")) {
      return unquote(words[2]);
    }
    if (text.startsWith("CREATE INDEX") || text.startsWith("CREATE UNIQUE INDEX")) {
      int on = text.indexOf(" ON ");
      return unquote(text.substring(on + 4).split("[\\s(]+")[0]);
    }
    return "";
  }

  private static String unquote(String identifier) {
    return identifier.replace("\"", "");
  }
}

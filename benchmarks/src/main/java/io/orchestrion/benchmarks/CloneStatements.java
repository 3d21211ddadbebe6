package io.orchestrion.benchmarks;

import io.orchestrion.benchmarks.TemplateRows.Column;
import io.orchestrion.benchmarks.TemplateRows.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code INSERT ... SELECT} statements that copy a {@link TemplateRows} once per number {@code
 * n} of a generated series (H2 {@code SYSTEM_RANGE}, PostgreSQL {@code generate_series}), so that
 * the copies are exactly what the engine wrote, except:
 *
 * <ul>
 *   <li>every id of the template (the {@code id} of each row, an event's {@code event_id}, a stage
 *       or step instance's id in its run's {@code instances}) becomes {@code n as 12 digits, split
 *       8-4 + '-0' + the template id from its 16th character}: still 36 characters and UUID-shaped,
 *       unique per {@code n} and template id, and never equal to an id the engine makes (those are
 *       UUIDs of version 7, or 4 before 2026-12-04: a '7' or '4' where the copies have '0'). The
 *       copy number takes the place of the id's leading characters (a version 7 id's time, which
 *       ids made in one millisecond share); the random rest, which tells them apart, is kept.
 *       Columns holding such ids (run_id, step_instance_id, ...) get the same mapping, and text
 *       holding them (JSON documents, {@code open_record_key}) has each replaced;
 *   <li>timestamps move {@value #SECONDS_PER_COPY} s × {@code n} into the past (due times stay);
 *   <li>events get sequence numbers after the sequencer's last one ({@code :base}), in the
 *       template's order;
 *   <li>for waiting copies, the work item assigned to the driver's approver is assigned to one of
 *       {@value HistorySeeder#HISTORY_APPROVERS} users the driver never decides for.
 * </ul>
 *
 * Each statement has the placeholders {@code :from}, {@code :to} (the series) and {@code :base}
 * (events only), filled in per batch by {@link #forBatch}.
 */
final class CloneStatements {
  static final long SECONDS_PER_COPY = 10;

  private static final Pattern UUID_LIKE =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern INSTANCE_ID =
      Pattern.compile("\"id\":\"(" + UUID_LIKE.pattern() + ")\"");
  private static final String N = "s.x";
  private static final String DIGITS = "LPAD(CAST(" + N + " AS VARCHAR(20)), 12, '0')";

  /** The copy number as 12 digits in the shape of a UUID's first two groups: "dddddddd-dddd". */
  private static final String PREFIX =
      "SUBSTRING(" + DIGITS + ", 1, 8) || '-' || SUBSTRING(" + DIGITS + ", 9, 4)";

  private final Map<String, String> statements = new LinkedHashMap<>();

  private CloneStatements() {}

  /** The statements copying {@code template}; {@code waiting} moves the work item's assignee. */
  static CloneStatements of(TemplateRows template, boolean postgres, boolean waiting) {
    Set<String> ids = ids(template);
    CloneStatements clone = new CloneStatements();
    for (Table table : template.tables().values()) {
      if (table.rows().isEmpty()) {
        continue;
      }
      // The template's rows by primary key: the source column's index (e.g. events_by_run) may
      // be dropped while the copies are made.
      Column idColumn = idColumn(table);
      List<String> templateIds =
          table.values(idColumn.lowerName()).stream()
              .map(id -> idColumn.isText() ? literal(id) : id)
              .toList();
      List<String> names = new ArrayList<>();
      List<String> expressions = new ArrayList<>();
      for (Column column : table.columns()) {
        String name = column.lowerName();
        if (name.equals("id") && column.isWholeNumber()) {
          continue; // an identity column: the copies get the next numbers
        }
        names.add(column.name());
        expressions.add(expression(table, column, ids, postgres, waiting));
      }
      String series =
          postgres ? "generate_series(:from, :to) AS s(x)" : "SYSTEM_RANGE(:from, :to) s";
      clone.statements.put(
          table.source().table(),
          "INSERT INTO "
              + table.source().table()
              + " ("
              + String.join(", ", names)
              + ") SELECT "
              + String.join(", ", expressions)
              + " FROM "
              + table.source().table()
              + " t CROSS JOIN "
              + series
              + " WHERE t."
              + idColumn.name()
              + " IN ("
              + String.join(", ", templateIds)
              + ")");
    }
    return clone;
  }

  /** Table name → statement, with the placeholders filled in. */
  Map<String, String> forBatch(long from, long to, long base) {
    Map<String, String> batch = new LinkedHashMap<>();
    statements.forEach(
        (table, sql) ->
            batch.put(
                table,
                sql.replace(":from", Long.toString(from))
                    .replace(":to", Long.toString(to))
                    .replace(":base", Long.toString(base))));
    return batch;
  }

  private static Set<String> ids(TemplateRows template) {
    Set<String> ids = new LinkedHashSet<>();
    for (Table table : template.tables().values()) {
      for (Column column : table.columns()) {
        if (column.isText()
            && (column.lowerName().equals("id") || column.lowerName().equals("event_id"))) {
          for (String id : table.values(column.lowerName())) {
            if (!UUID_LIKE.matcher(id).matches()) {
              throw new IllegalStateException(
                  "the seeder maps UUID-shaped ids only; "
                      + table.source().table()
                      + "."
                      + column.lowerName()
                      + " holds '"
                      + id
                      + "'");
            }
            ids.add(id);
          }
        }
        if (column.isText() && column.lowerName().equals("instances")) {
          // A run's stage and step instances are a document in its row: their ids too.
          for (String document : table.values("instances")) {
            Matcher instanceId = INSTANCE_ID.matcher(document);
            while (instanceId.find()) {
              ids.add(instanceId.group(1));
            }
          }
        }
      }
    }
    return ids;
  }

  private static String expression(
      Table table, Column column, Set<String> ids, boolean postgres, boolean waiting) {
    String name = column.lowerName();
    String value = "t." + column.name();
    List<String> values = table.values(name);
    if (table.source().table().equals("events") && name.equals("sequence")) {
      if (!values.isEmpty() && values.size() != table.rows().size()) {
        throw new IllegalStateException("the template's events are not all numbered yet");
      }
      // base + (n - from) * events per copy + the event's place in the template
      StringBuilder rank = new StringBuilder("CASE t.id");
      List<String> eventIds = table.values("id");
      for (int i = 0; i < eventIds.size(); i++) {
        rank.append(" WHEN ").append(eventIds.get(i)).append(" THEN ").append(i + 1);
      }
      rank.append(" END");
      return ":base + (" + N + " - :from) * " + eventIds.size() + " + " + rank;
    }
    if (waiting
        && table.source().table().equals("work_items")
        && name.equals("assignee_id")
        && values.stream().allMatch(Workload.APPROVER::equals)) {
      return "'"
          + HistorySeeder.HISTORY_APPROVER_PREFIX
          + "' || CAST(MOD("
          + N
          + ", "
          + HistorySeeder.HISTORY_APPROVERS
          + ") AS VARCHAR(20))";
    }
    if (column.isTimestamp()) {
      if (name.equals("due_at")) {
        return value; // a due time moved into the past would make jobs and deadlines due
      }
      return postgres
          ? value + " - (" + SECONDS_PER_COPY + " * " + N + ") * INTERVAL '1 second'"
          : "DATEADD(SECOND, -" + SECONDS_PER_COPY + " * " + N + ", " + value + ")";
    }
    if (!column.isText() || values.isEmpty()) {
      return value;
    }
    if (ids.containsAll(values)) {
      return PREFIX + " || '-0' || SUBSTRING(" + value + ", 16, 21)";
    }
    if (values.stream().noneMatch(v -> ids.stream().anyMatch(v::contains))) {
      return value;
    }
    return perRow(table, column, ids);
  }

  /**
   * Text holding ids (JSON documents, {@code open_record_key}): each template row's value is
   * written out once, as literals around the mapped ids ({@code CASE t.id WHEN ... THEN 'text' ||
   * id-prefix || suffix || 'text' ... END}), so that the database concatenates a few strings per
   * copy instead of scanning the whole value once per id the template has.
   */
  private static String perRow(Table table, Column column, Set<String> ids) {
    int valueAt = table.columns().indexOf(column);
    Column idColumn = idColumn(table);
    int idAt = table.columns().indexOf(idColumn);
    StringBuilder expression = new StringBuilder("CASE t.").append(idColumn.name());
    for (List<String> row : table.rows()) {
      String value = row.get(valueAt);
      expression
          .append(" WHEN ")
          .append(idColumn.isText() ? literal(row.get(idAt)) : row.get(idAt))
          .append(" THEN ")
          .append(value == null ? "NULL" : withIdsMapped(value, ids, "t." + column.name()));
    }
    return expression.append(" END").toString();
  }

  private static Column idColumn(Table table) {
    return table
        .column("id")
        .orElseThrow(
            () ->
                new IllegalStateException(
                    table.source().table() + " has no id column to tell its rows apart"));
  }

  /** {@code value} as a concatenation of literals and mapped ids; {@code same} if it has none. */
  private static String withIdsMapped(String value, Set<String> ids, String same) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    while (from < value.length()) {
      int next = -1;
      String found = null;
      for (String id : ids) {
        int at = value.indexOf(id, from);
        if (at >= 0 && (next < 0 || at < next)) {
          next = at;
          found = id;
        }
      }
      if (found == null) {
        break;
      }
      if (next > from) {
        parts.add(literal(value.substring(from, next)));
      }
      parts.add(PREFIX);
      parts.add(literal("-0" + found.substring(15)));
      from = next + found.length();
    }
    if (parts.isEmpty()) {
      return same;
    }
    if (from < value.length()) {
      parts.add(literal(value.substring(from)));
    }
    return "(" + String.join(" || ", parts) + ")";
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}

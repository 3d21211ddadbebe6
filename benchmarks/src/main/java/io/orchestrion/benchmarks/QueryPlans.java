package io.orchestrion.benchmarks;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints the plans of the most executed statements of a run ({@code --plans}), on the driver's own
 * connection, after the run: H2 {@code EXPLAIN} with every parameter NULL (H2 plans by the shape of
 * the conditions, so the chosen index shows); PostgreSQL the generic plan ({@code plan_cache_mode =
 * force_generic_plan}, {@code PREPARE}, {@code EXPLAIN EXECUTE} with NULL arguments), the plan a
 * pooled connection settles on for a statement it runs often. INSERTs are left out (no plan).
 */
final class QueryPlans {
  private static final Pattern POSTGRES_PARAMETER = Pattern.compile("\\$(\\d+)");

  private QueryPlans() {}

  static void print(
      Connection monitor,
      boolean postgres,
      Map<String, Long> statementCounts,
      int top,
      PrintStream out)
      throws SQLException {
    out.println("plans of the " + top + " most executed statements (other than INSERT):");
    var hottest =
        statementCounts.entrySet().stream()
            .filter(
                entry ->
                    !entry.getKey().stripLeading().toUpperCase(Locale.ROOT).startsWith("INSERT"))
            .filter(entry -> !entry.getKey().contains(BenchDatabase.MONITOR_MARKER))
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(top)
            .toList();
    for (Map.Entry<String, Long> statement : hottest) {
      out.println("-- " + statement.getValue() + " x " + oneLine(statement.getKey()));
      try {
        String plan =
            postgres
                ? postgresPlan(monitor, statement.getKey())
                : h2Plan(monitor, statement.getKey());
        plan.lines().forEach(line -> out.println("   " + line));
      } catch (SQLException e) {
        out.println("   (no plan: " + e.getMessage().lines().findFirst().orElse("") + ")");
      }
    }
    printScans(monitor, postgres, statementCounts, out);
  }

  /**
   * Explains every statement the engine executed (INSERTs aside), not only the most executed, and
   * lists those whose plan reads a whole table or a whole index: a cost that grows with history
   * unless the table is small by nature.
   */
  static void printScans(
      Connection monitor, boolean postgres, Map<String, Long> statementCounts, PrintStream out)
      throws SQLException {
    var executed =
        statementCounts.entrySet().stream()
            .filter(entry -> !isInsert(entry.getKey()))
            .filter(entry -> !entry.getKey().contains(BenchDatabase.MONITOR_MARKER))
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .toList();
    List<String> scans = new ArrayList<>();
    List<String> unexplained = new ArrayList<>();
    int explained = 0;
    for (Map.Entry<String, Long> statement : executed) {
      try {
        String plan =
            postgres
                ? postgresPlan(monitor, statement.getKey())
                : h2Plan(monitor, statement.getKey());
        explained++;
        List<String> found = postgres ? postgresScans(plan) : h2Scans(plan);
        if (!found.isEmpty()) {
          scans.add(
              statement.getValue()
                  + " x "
                  + oneLine(statement.getKey())
                  + "\n      reads whole: "
                  + String.join("; ", found));
        }
      } catch (SQLException e) {
        unexplained.add(oneLine(statement.getKey()));
      }
    }
    out.println(
        "statements whose plan reads a whole table or index: "
            + scans.size()
            + " of "
            + explained
            + " explained (every executed statement other than INSERT)");
    scans.forEach(scan -> out.println("  " + scan));
    if (!unexplained.isEmpty()) {
      out.println("  not explainable alone (left out): " + unexplained);
    }
  }

  private static final Pattern H2_ACCESS = Pattern.compile("/\\* (PUBLIC\\.[^ :*]+)(:[^*]*)? \\*/");

  /** H2: {@code /* PUBLIC.T.tableScan *}{@code /}, or an index named with no condition. */
  static List<String> h2Scans(String plan) {
    List<String> scans = new ArrayList<>();
    Matcher access = H2_ACCESS.matcher(plan);
    while (access.find()) {
      if (access.group(1).endsWith(".tableScan") || access.group(2) == null) {
        scans.add(access.group(1));
      }
    }
    return scans;
  }

  /** PostgreSQL: a Seq Scan, or an index scan with no Index Cond. */
  static List<String> postgresScans(String plan) {
    List<String> scans = new ArrayList<>();
    List<String> lines = plan.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String node = lines.get(i).replaceFirst("^\\s*(->)?\\s*", "");
      if (node.startsWith("Seq Scan")) {
        scans.add(node.replaceFirst("\\s+\\(cost.*", ""));
      } else if (node.startsWith("Index Scan") || node.startsWith("Index Only Scan")) {
        boolean condition = false;
        for (int j = i + 1; j < lines.size() && !lines.get(j).contains("->"); j++) {
          condition |= lines.get(j).contains("Index Cond");
        }
        if (!condition) {
          scans.add(node.replaceFirst("\\s+\\(cost.*", "") + " (no Index Cond)");
        }
      }
    }
    return scans;
  }

  private static boolean isInsert(String sql) {
    return sql.stripLeading().toUpperCase(Locale.ROOT).startsWith("INSERT");
  }

  private static String h2Plan(Connection monitor, String sql) throws SQLException {
    try (PreparedStatement explain = monitor.prepareStatement("EXPLAIN " + sql)) {
      int parameters = explain.getParameterMetaData().getParameterCount();
      for (int i = 1; i <= parameters; i++) {
        explain.setNull(i, Types.VARCHAR);
      }
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = explain.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1).replaceAll("\\s+", " ")).append('\n');
        }
      }
      return plan.toString();
    }
  }

  private static String postgresPlan(Connection monitor, String sql) throws SQLException {
    int parameters = 0;
    Matcher matcher = POSTGRES_PARAMETER.matcher(sql);
    while (matcher.find()) {
      parameters = Math.max(parameters, Integer.parseInt(matcher.group(1)));
    }
    StringBuilder arguments = new StringBuilder();
    for (int i = 0; i < parameters; i++) {
      arguments.append(i == 0 ? "" : ", ").append("NULL");
    }
    try (Statement statement = monitor.createStatement()) {
      statement.execute("SET plan_cache_mode = force_generic_plan");
      statement.execute("PREPARE bench_plan AS " + sql);
      try {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs =
            statement.executeQuery(
                "EXPLAIN EXECUTE bench_plan" + (parameters == 0 ? "" : "(" + arguments + ")"))) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
        return plan.toString();
      } finally {
        statement.execute("DEALLOCATE bench_plan");
      }
    }
  }

  private static String oneLine(String sql) {
    String line = sql.replaceAll("\\s+", " ").strip();
    return line.length() <= 160 ? line : line.substring(0, 160) + "...";
  }
}

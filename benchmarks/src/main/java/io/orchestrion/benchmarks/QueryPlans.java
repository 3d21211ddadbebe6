package io.orchestrion.benchmarks;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
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

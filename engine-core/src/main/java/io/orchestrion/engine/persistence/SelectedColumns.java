package io.orchestrion.engine.persistence;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The 1-based positions of the columns of a constant select list, found once, so that a row is read
 * by index with the column's name in the code. Reading a {@link java.sql.ResultSet} by label makes
 * the driver map every label of each result set (H2 upper-cases each of them into a new {@code
 * HashMap} on the first lookup): on a query run at every hand-off that cost ~2 % of the engine's
 * CPU (benchmarks/README.md, "Per-statement numbering and columns read by position").
 */
public final class SelectedColumns {
  private final List<String> names;
  private final Map<String, Integer> positions;

  private SelectedColumns(List<String> names) {
    this.names = List.copyOf(names);
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      if (byName.putIfAbsent(names.get(i), i + 1) != null) {
        throw new IllegalArgumentException("column " + names.get(i) + " is selected twice");
      }
    }
    this.positions = Map.copyOf(byName);
  }

  /**
   * The columns of {@code selectList}, a comma-separated list of plain column names (no
   * expressions, no aliases), as written in the query.
   */
  public static SelectedColumns of(String selectList) {
    List<String> names = Arrays.stream(selectList.split(",")).map(String::strip).toList();
    for (String name : names) {
      if (!name.matches("[a-z_][a-z0-9_]*")) {
        throw new IllegalArgumentException(
            "not a plain lower-case column name: '" + name + "' in '" + selectList + "'");
      }
    }
    return new SelectedColumns(names);
  }

  /** The position of column {@code name} (1-based). */
  public int at(String name) {
    Integer position = positions.get(name);
    if (position == null) {
      throw new IllegalArgumentException("column " + name + " is not selected: " + names);
    }
    return position;
  }

  /** How many columns are selected. */
  public int count() {
    return names.size();
  }
}

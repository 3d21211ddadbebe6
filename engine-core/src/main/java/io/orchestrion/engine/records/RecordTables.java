package io.orchestrion.engine.records;

import io.orchestrion.api.object.SystemFields;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names of record tables and columns. Only names that match {@link #NAME} are ever turned into SQL
 * identifiers, so nothing a caller sends can reach the SQL text unchecked.
 */
public final class RecordTables {
  /** Object type api names and field names. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");

  /** The longest snake_case form of a name: keeps table, column and index names within 63. */
  static final int MAX_SNAKE_LENGTH = 54;

  static final String ID_COLUMN = "id";
  static final String VERSION_COLUMN = "version";

  private static final Map<String, String> SYSTEM_COLUMNS =
      Map.of(
          SystemFields.ID, ID_COLUMN,
          SystemFields.OWNER_ID, "owner_id",
          SystemFields.CREATED_BY_ID, "created_by_id",
          SystemFields.CREATED_DATE, "created_date",
          SystemFields.LAST_MODIFIED_BY_ID, "last_modified_by_id",
          SystemFields.LAST_MODIFIED_DATE, "last_modified_date");

  private RecordTables() {}

  public static boolean isValidName(String name) {
    return NAME.matcher(name).matches();
  }

  /**
   * {@code rec_<snake_case api name>}, e.g. {@code ExpenseReport} is {@code rec_expense_report}.
   */
  public static String tableName(String apiName) {
    return "rec_" + snakeCase(checkedName(apiName));
  }

  /** The column of a system field or {@code f_<snake_case name>} for a declared field. */
  public static String columnName(String fieldName) {
    String system = SYSTEM_COLUMNS.get(fieldName);
    return system != null ? system : "f_" + snakeCase(checkedName(fieldName));
  }

  static Optional<String> systemColumn(String fieldName) {
    return Optional.ofNullable(SYSTEM_COLUMNS.get(fieldName));
  }

  static String ownerIndexName(String apiName) {
    return "ix_" + snakeCase(checkedName(apiName)) + "_owner";
  }

  /**
   * {@code AmountDue} is {@code amount_due}, {@code HTTPStatus} is {@code http_status}, {@code
   * Line2} is {@code line2}. Different names can share a form ({@code Amount_Due}, {@code
   * amountDue}): definitions with such names are refused.
   */
  static String snakeCase(String name) {
    StringBuilder result = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        char previous = name.charAt(i - 1);
        boolean nextIsLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        if (Character.isLowerCase(previous)
            || Character.isDigit(previous)
            || (Character.isUpperCase(previous) && nextIsLower)) {
          result.append('_');
        }
      }
      result.append(c);
    }
    return result.toString().toLowerCase(Locale.ROOT);
  }

  private static String checkedName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException("Not a valid name: '" + name + "'");
    }
    return name;
  }
}

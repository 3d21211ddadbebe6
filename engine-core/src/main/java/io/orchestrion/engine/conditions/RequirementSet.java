package io.orchestrion.engine.conditions;

import io.orchestrion.api.flow.Operator;
import io.orchestrion.api.object.DataType;
import io.orchestrion.flow.ConditionLogic;
import io.orchestrion.flow.json.JsonPaths;
import io.orchestrion.spi.ConditionContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Up to 10 requirements combined by ALL, ANY or custom logic (SPEC §5.2), as orchestration
 * conditions and stage transitions use them. Compiled once at deploy time from the JSON
 * configuration, with every problem reported by its path; literals are converted to the type of
 * their left side then, so that evaluation only compares.
 */
public final class RequirementSet {
  public static final int MAX_REQUIREMENTS = 10;

  private static final Set<DataType> ORDERED =
      EnumSet.of(DataType.NUMBER, DataType.CURRENCY, DataType.DATE, DataType.DATETIME);
  private static final Set<DataType> TEXTUAL =
      EnumSet.of(DataType.TEXT, DataType.PICKLIST, DataType.USER, DataType.LOOKUP);

  private final List<Row> rows;
  private final String logic;
  private final ConditionLogic.Expression expression;

  private RequirementSet(List<Row> rows, String logic, ConditionLogic.Expression expression) {
    this.rows = List.copyOf(rows);
    this.logic = logic;
    this.expression = expression;
  }

  /** One requirement: a reference, an operator and a right side (a constant or a reference). */
  record Row(
      int number, String left, DataType type, Operator operator, Object right, String rightRef) {}

  /** The outcome of one requirement, for explanations (SPEC §5.5). */
  public record RowResult(
      int row, String left, Object leftValue, Operator operator, Object rightValue, boolean met) {
    @Override
    public String toString() {
      return "%d. %s (= %s) %s %s -> %s"
          .formatted(row, left, show(leftValue), operator, show(rightValue), met);
    }
  }

  public record Evaluation(boolean met, String logic, List<RowResult> rows) {
    public String describe() {
      List<String> parts = new ArrayList<>();
      for (RowResult row : rows) {
        parts.add(row.toString());
      }
      return "logic " + logic + " is " + met + ": " + String.join("; ", parts);
    }

    /** The rows and the logic as explain shows them (SPEC §5.5). */
    public Map<String, Object> details() {
      List<Map<String, Object>> list = new ArrayList<>();
      for (RowResult row : rows) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("row", row.row());
        entry.put("left", row.left());
        entry.put("leftValue", jsonValue(row.leftValue()));
        entry.put("operator", row.operator().name());
        entry.put("rightValue", jsonValue(row.rightValue()));
        entry.put("met", row.met());
        list.add(entry);
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("logic", logic);
      details.put("logicResult", met);
      details.put("requirements", list);
      return details;
    }
  }

  /** Numbers, booleans, text and collections stay as they are; dates and times become text. */
  private static Object jsonValue(Object value) {
    if (value == null
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof String
        || value instanceof Collection<?>) {
      return value;
    }
    return value.toString();
  }

  /** Which references exist and of what type, at deploy time. */
  public interface Types extends Function<String, Optional<DataType>> {}

  /**
   * Compiles {@code requirements} (JSON values: a list of {left, operator, right} objects) with
   * {@code logic}. Problems go to {@code problem(relativePath, message)}, e.g. {@code
   * requirements[2].operator}.
   */
  public static Optional<RequirementSet> compile(
      Object requirements, Object logicValue, Types types, BiConsumer<String, String> problem) {
    if (!(requirements instanceof List<?> list) || list.isEmpty()) {
      problem.accept("requirements", "give 1 to " + MAX_REQUIREMENTS + " requirements");
      return Optional.empty();
    }
    if (list.size() > MAX_REQUIREMENTS) {
      problem.accept(
          "requirements",
          "%d requirements: at most %d are allowed".formatted(list.size(), MAX_REQUIREMENTS));
      return Optional.empty();
    }
    String logic = logicValue == null ? "ALL" : String.valueOf(logicValue);
    List<Row> rows = new ArrayList<>();
    boolean valid = true;
    for (int i = 0; i < list.size(); i++) {
      Optional<Row> row = row(i, list.get(i), types, problem);
      valid &= row.isPresent();
      row.ifPresent(rows::add);
    }
    ConditionLogic.Expression expression;
    try {
      expression = ConditionLogic.parse(logic, list.size());
    } catch (IllegalArgumentException e) {
      problem.accept("logic", "invalid logic '%s': %s".formatted(logic, e.getMessage()));
      return Optional.empty();
    }
    return valid ? Optional.of(new RequirementSet(rows, logic, expression)) : Optional.empty();
  }

  private static Optional<Row> row(
      int index, Object value, Types types, BiConsumer<String, String> problem) {
    String path = "requirements[" + index + "]";
    if (!(value instanceof Map<?, ?> map)) {
      problem.accept(path, "a requirement is an object {left, operator, right}");
      return Optional.empty();
    }
    for (Object key : map.keySet()) {
      if (!Set.of("left", "operator", "right").contains(key)) {
        problem.accept(
            JsonPaths.property(path, String.valueOf(key)),
            "unknown property '%s' of a requirement".formatted(key));
      }
    }
    Optional<String> left = reference(map.get("left"));
    if (left.isEmpty()) {
      problem.accept(
          path + ".left", "the left side must be a reference: {\"ref\": \"$Record.Amount\"}");
      return Optional.empty();
    }
    Optional<DataType> type = types.apply(left.get());
    if (type.isEmpty()) {
      problem.accept(path + ".left", "unknown reference '%s'".formatted(left.get()));
      return Optional.empty();
    }
    Operator operator;
    try {
      operator = Operator.valueOf(String.valueOf(map.get("operator")));
    } catch (IllegalArgumentException e) {
      problem.accept(
          path + ".operator",
          "unknown operator '%s' (one of %s)"
              .formatted(map.get("operator"), List.of(Operator.values())));
      return Optional.empty();
    }
    if (!allowed(operator, type.get())) {
      problem.accept(
          path + ".operator",
          "operator %s does not apply to '%s' of type %s"
              .formatted(operator, left.get(), type.get()));
      return Optional.empty();
    }
    Object right = map.get("right");
    if (!(right instanceof Map<?, ?> rightSpec)) {
      problem.accept(path + ".right", "the right side is {\"value\": ...} or {\"ref\": ...}");
      return Optional.empty();
    }
    Optional<String> rightRef = reference(rightSpec);
    if (rightRef.isPresent()) {
      Optional<DataType> rightType = types.apply(rightRef.get());
      if (rightType.isEmpty()) {
        problem.accept(path + ".right", "unknown reference '%s'".formatted(rightRef.get()));
        return Optional.empty();
      }
      if (operator.isOneSided() || !comparable(type.get(), rightType.get())) {
        problem.accept(
            path + ".right",
            "'%s' of type %s cannot be compared with %s of type %s by %s"
                .formatted(rightRef.get(), rightType.get(), left.get(), type.get(), operator));
        return Optional.empty();
      }
      return Optional.of(
          new Row(index + 1, left.get(), type.get(), operator, null, rightRef.get()));
    }
    if (!rightSpec.containsKey("value")) {
      problem.accept(path + ".right", "the right side is {\"value\": ...} or {\"ref\": ...}");
      return Optional.empty();
    }
    Object literal = rightSpec.get("value");
    DataType rightType = operator.isOneSided() ? DataType.BOOLEAN : type.get();
    Optional<Object> converted = convert(literal, rightType);
    if (converted.isEmpty() || (operator.isOneSided() && literal == null)) {
      problem.accept(
          path + ".right.value",
          operator.isOneSided()
              ? "%s takes true or false, not %s".formatted(operator, show(literal))
              : "%s is not a %s value (the type of '%s')"
                  .formatted(show(literal), type.get(), left.get()));
      return Optional.empty();
    }
    return Optional.of(new Row(index + 1, left.get(), type.get(), operator, converted.get(), null));
  }

  private static Optional<String> reference(Object spec) {
    if (spec instanceof Map<?, ?> map && map.size() == 1 && map.get("ref") instanceof String ref) {
      return Optional.of(ref);
    }
    return Optional.empty();
  }

  static boolean allowed(Operator operator, DataType type) {
    return switch (operator) {
      case EQUALS, NOT_EQUALS, IS_NULL, WAS_SET, IS_CHANGED -> true;
      case GREATER_THAN, GREATER_OR_EQUAL, LESS_THAN, LESS_OR_EQUAL -> ORDERED.contains(type);
      case CONTAINS, STARTS_WITH, ENDS_WITH, IS_BLANK -> TEXTUAL.contains(type);
    };
  }

  private static boolean comparable(DataType left, DataType right) {
    return left == right
        || (left.isNumeric() && right.isNumeric())
        || (TEXTUAL.contains(left) && TEXTUAL.contains(right));
  }

  /** Converts a JSON literal to the Java value of {@code type}; empty when it does not fit. */
  static Optional<Object> convert(Object value, DataType type) {
    if (value == null) {
      return Optional.of(NULL);
    }
    try {
      return Optional.ofNullable(
          switch (type) {
            case NUMBER, CURRENCY ->
                value instanceof Number number
                    ? new BigDecimal(number.toString())
                    : value instanceof String text ? new BigDecimal(text.strip()) : null;
            case BOOLEAN -> value instanceof Boolean bool ? bool : null;
            case DATE ->
                value instanceof String text
                    ? LocalDate.parse(text)
                    : value instanceof LocalDate date ? date : null;
            case DATETIME ->
                value instanceof String text
                    ? OffsetDateTime.parse(text).toInstant()
                    : value instanceof Instant instant ? instant : null;
            case TEXT, PICKLIST, USER, LOOKUP -> value instanceof String text ? text : null;
            case RECORD -> null;
          });
    } catch (NumberFormatException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Stands for a JSON null literal (Optional cannot hold null). */
  private static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  public Evaluation evaluate(ConditionContext context) {
    List<RowResult> results = new ArrayList<>(rows.size());
    boolean[] met = new boolean[rows.size() + 1];
    for (Row row : rows) {
      Object left = normalize(context.resolve(row.left()).orElse(null), row.type());
      Object right =
          row.rightRef() != null
              ? normalize(context.resolve(row.rightRef()).orElse(null), row.type())
              : row.right() == NULL ? null : row.right();
      boolean result =
          switch (row.operator()) {
            case EQUALS -> equal(left, right);
            case NOT_EQUALS -> !equal(left, right);
            case GREATER_THAN -> order(left, right).filter(order -> order > 0).isPresent();
            case GREATER_OR_EQUAL -> order(left, right).filter(order -> order >= 0).isPresent();
            case LESS_THAN -> order(left, right).filter(order -> order < 0).isPresent();
            case LESS_OR_EQUAL -> order(left, right).filter(order -> order <= 0).isPresent();
            case CONTAINS -> text(left, right, (l, r) -> l.contains(r));
            case STARTS_WITH -> text(left, right, (l, r) -> l.startsWith(r));
            case ENDS_WITH -> text(left, right, (l, r) -> l.endsWith(r));
            case IS_NULL -> (left == null) == (Boolean) right;
            case WAS_SET -> (left != null) == (Boolean) right;
            case IS_BLANK -> isBlank(left) == (Boolean) right;
            case IS_CHANGED -> {
              Object previous =
                  normalize(context.previousValue(row.left()).orElse(null), row.type());
              yield !equal(previous, left) == (Boolean) right;
            }
          };
      met[row.number()] = result;
      results.add(new RowResult(row.number(), row.left(), left, row.operator(), right, result));
    }
    boolean overall = expression.evaluate(number -> met[number]);
    return new Evaluation(overall, logic, results);
  }

  /** The references this set reads (for IS_CHANGED bookkeeping and explanations). */
  public List<String> references() {
    List<String> references = new ArrayList<>();
    for (Row row : rows) {
      references.add(row.left());
      if (row.rightRef() != null) {
        references.add(row.rightRef());
      }
    }
    return references;
  }

  /** Brings stored or computed values to the representation of their declared type. */
  private static Object normalize(Object value, DataType type) {
    if (value == null) {
      return null;
    }
    if (value instanceof Number number && !(value instanceof BigDecimal)) {
      return new BigDecimal(number.toString());
    }
    if (value instanceof String text && type != DataType.TEXT && !TEXTUAL.contains(type)) {
      return convert(text, type).orElse(value);
    }
    return value;
  }

  private static boolean equal(Object left, Object right) {
    if (left instanceof BigDecimal a && right instanceof BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    return Objects.equals(left, right);
  }

  /**
   * The order of two values; empty for null or incomparable values: every ordering test is false.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Optional<Integer> order(Object left, Object right) {
    if (left == null
        || right == null
        || left.getClass() != right.getClass()
        || !(left instanceof Comparable)) {
      return Optional.empty();
    }
    return Optional.of(Integer.signum(((Comparable) left).compareTo(right)));
  }

  private static boolean text(
      Object left, Object right, java.util.function.BiPredicate<String, String> test) {
    return left instanceof String l && right instanceof String r && test.test(l, r);
  }

  private static boolean isBlank(Object value) {
    return value == null
        || (value instanceof String text && text.isBlank())
        || (value instanceof Collection<?> collection && collection.isEmpty());
  }

  static String show(Object value) {
    if (value == null || value == NULL) {
      return "null";
    }
    return value instanceof String text ? "'" + text + "'" : value.toString();
  }
}

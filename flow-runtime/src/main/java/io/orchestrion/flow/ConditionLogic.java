package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The logic that combines the requirements of a condition (SPEC §5.2): {@code ALL}, {@code ANY} or
 * custom logic over row numbers such as {@code 1 AND (2 OR NOT 3)}. Shared by flow Decisions and
 * orchestration conditions.
 */
public final class ConditionLogic {
  public static final int MAX_LENGTH = 1_000;

  private ConditionLogic() {}

  /** A parsed logic expression over requirement rows (numbered from 1). */
  public sealed interface Expression {
    boolean evaluate(IntPredicate row);
  }

  public record Row(int number) implements Expression {
    @Override
    public boolean evaluate(IntPredicate row) {
      return row.test(number);
    }
  }

  public record Not(Expression expression) implements Expression {
    @Override
    public boolean evaluate(IntPredicate row) {
      return !expression.evaluate(row);
    }
  }

  public record And(Expression left, Expression right) implements Expression {
    @Override
    public boolean evaluate(IntPredicate row) {
      return left.evaluate(row) && right.evaluate(row);
    }
  }

  public record Or(Expression left, Expression right) implements Expression {
    @Override
    public boolean evaluate(IntPredicate row) {
      return left.evaluate(row) || right.evaluate(row);
    }
  }

  /**
   * Parses {@code logic} for {@code rows} requirements. {@code ALL} and {@code ANY} (any case)
   * combine every row; custom logic must mention every row exactly as numbers 1..rows. Precedence:
   * NOT, then AND, then OR.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public static Expression parse(String logic, int rows) {
    requireNonNull(logic, "logic is null");
    if (rows < 1) {
      throw new IllegalArgumentException("there are no requirements to combine");
    }
    String trimmed = logic.strip();
    if (trimmed.equalsIgnoreCase("ALL") || trimmed.equalsIgnoreCase("ANY")) {
      boolean all = trimmed.equalsIgnoreCase("ALL");
      Expression expression = new Row(1);
      for (int row = 2; row <= rows; row++) {
        expression = all ? new And(expression, new Row(row)) : new Or(expression, new Row(row));
      }
      return expression;
    }
    if (trimmed.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "custom logic is longer than " + MAX_LENGTH + " characters");
    }
    Parser parser = new Parser(tokenize(trimmed), rows);
    Expression expression = parser.or();
    if (parser.position < parser.tokens.size()) {
      throw new IllegalArgumentException(
          "unexpected '" + parser.tokens.get(parser.position) + "' in logic '" + logic + "'");
    }
    List<Integer> missing = new ArrayList<>();
    for (int row = 1; row <= rows; row++) {
      if (!parser.mentioned.get(row)) {
        missing.add(row);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "logic '" + logic + "' does not mention requirement(s) " + missing);
    }
    return expression;
  }

  private static List<String> tokenize(String logic) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < logic.length()) {
      char c = logic.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        tokens.add(String.valueOf(c));
        i++;
      } else if (Character.isLetterOrDigit(c)) {
        int start = i;
        while (i < logic.length() && Character.isLetterOrDigit(logic.charAt(i))) {
          i++;
        }
        tokens.add(logic.substring(start, i));
      } else {
        throw new IllegalArgumentException(
            "unexpected character '" + c + "' in logic '" + logic + "'");
      }
    }
    return tokens;
  }

  private static final class Parser {
    private final List<String> tokens;
    private final int rows;
    private final BitSet mentioned = new BitSet();
    private int position;

    Parser(List<String> tokens, int rows) {
      this.tokens = tokens;
      this.rows = rows;
    }

    Expression or() {
      Expression left = and();
      while (accept("OR")) {
        left = new Or(left, and());
      }
      return left;
    }

    Expression and() {
      Expression left = not();
      while (accept("AND")) {
        left = new And(left, not());
      }
      return left;
    }

    Expression not() {
      if (accept("NOT")) {
        return new Not(not());
      }
      return primary();
    }

    Expression primary() {
      if (position >= tokens.size()) {
        throw new IllegalArgumentException("logic ends unexpectedly");
      }
      String token = tokens.get(position++);
      if (token.equals("(")) {
        Expression inner = or();
        if (!accept(")")) {
          throw new IllegalArgumentException("missing ')' in logic");
        }
        return inner;
      }
      int row;
      try {
        row = Integer.parseInt(token);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "expected a requirement number, '(' or NOT, got '" + token + "'", e);
      }
      if (row < 1 || row > rows) {
        throw new IllegalArgumentException(
            "requirement " + row + " does not exist (there are " + rows + ")");
      }
      mentioned.set(row);
      return new Row(row);
    }

    private boolean accept(String token) {
      if (position < tokens.size() && tokens.get(position).equalsIgnoreCase(token)) {
        position++;
        return true;
      }
      return false;
    }
  }
}

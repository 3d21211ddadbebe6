package io.orchestrion.engine.records;

import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.JdbcValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Field values between their Java form ({@link DataType}), their SQL column and JDBC. Strings are
 * accepted for every type in ISO form (JSON has no dates or decimals), binary floating point is
 * not: a double cannot be trusted with money.
 */
final class FieldValues {
  static final int TEXT_COLUMN_LENGTH = 32768;
  static final int PICKLIST_COLUMN_LENGTH = 255;
  static final int ID_COLUMN_LENGTH = 64;
  static final int DECIMAL_PRECISION = 38;

  private FieldValues() {}

  /** The SQL type of the column of {@code field}. */
  static String columnType(FieldDefinition field, Dialect dialect) {
    return switch (field.type()) {
      case TEXT -> "VARCHAR(" + TEXT_COLUMN_LENGTH + ")" + dialect.textCollation();
      case PICKLIST -> "VARCHAR(" + PICKLIST_COLUMN_LENGTH + ")" + dialect.textCollation();
      case USER, LOOKUP -> "VARCHAR(" + ID_COLUMN_LENGTH + ")" + dialect.textCollation();
      case NUMBER, CURRENCY -> "DECIMAL(" + DECIMAL_PRECISION + ", " + field.effectiveScale() + ")";
      case BOOLEAN -> "BOOLEAN";
      case DATE -> "DATE";
      case DATETIME -> "TIMESTAMP WITH TIME ZONE";
      case RECORD -> throw new IllegalArgumentException("RECORD is not a field type");
    };
  }

  /**
   * {@code value} as it is stored in {@code field}: converted to the field's Java type, numbers
   * rounded HALF_UP to the field's scale, date-times to microseconds (what both databases keep).
   *
   * @throws InvalidValue saying why the value does not fit
   */
  static Object toStored(FieldDefinition field, Object value) throws InvalidValue {
    if (value == null) {
      return null;
    }
    return switch (field.type()) {
      case TEXT -> text(value, TEXT_COLUMN_LENGTH);
      case PICKLIST -> {
        String text = text(value, PICKLIST_COLUMN_LENGTH);
        if (!field.values().contains(text)) {
          throw new InvalidValue("is not one of the picklist values " + field.values());
        }
        yield text;
      }
      case USER, LOOKUP -> {
        String id = text(value, ID_COLUMN_LENGTH);
        if (id.isBlank()) {
          throw new InvalidValue("is a blank id");
        }
        yield id;
      }
      case NUMBER, CURRENCY -> {
        BigDecimal rounded = decimal(value).setScale(field.effectiveScale(), RoundingMode.HALF_UP);
        if (rounded.precision() > DECIMAL_PRECISION) {
          throw new InvalidValue(
              "has more than " + (DECIMAL_PRECISION - field.effectiveScale()) + " integer digits");
        }
        yield rounded;
      }
      case BOOLEAN -> bool(value);
      case DATE -> date(value);
      case DATETIME -> dateTime(value).truncatedTo(ChronoUnit.MICROS);
      case RECORD -> throw new InvalidValue("is for a RECORD field, which cannot be stored");
    };
  }

  /** {@code value} converted for a comparison with {@code type}: no rounding, no length limit. */
  static Object toComparable(DataType type, Object value) throws InvalidValue {
    return switch (type) {
      case TEXT, PICKLIST, USER, LOOKUP -> text(value, Integer.MAX_VALUE);
      case NUMBER, CURRENCY -> decimal(value);
      case BOOLEAN -> bool(value);
      case DATE -> date(value);
      case DATETIME -> dateTime(value);
      case RECORD -> throw new InvalidValue("cannot be compared with a RECORD");
    };
  }

  static void bind(PreparedStatement statement, int index, DataType type, Object value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, sqlType(type));
      return;
    }
    switch (type) {
      case NUMBER, CURRENCY -> statement.setBigDecimal(index, (BigDecimal) value);
      case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
      case DATE -> statement.setObject(index, value, Types.DATE);
      case DATETIME -> JdbcValues.setInstant(statement, index, (Instant) value);
      default -> statement.setString(index, (String) value);
    }
  }

  static Object read(ResultSet resultSet, int column, DataType type) throws SQLException {
    return switch (type) {
      case NUMBER, CURRENCY -> resultSet.getBigDecimal(column);
      case BOOLEAN -> {
        boolean value = resultSet.getBoolean(column);
        yield resultSet.wasNull() ? null : value;
      }
      case DATE -> resultSet.getObject(column, LocalDate.class);
      case DATETIME -> JdbcValues.getNullableInstant(resultSet, column);
      default -> resultSet.getString(column);
    };
  }

  private static int sqlType(DataType type) {
    return switch (type) {
      case NUMBER, CURRENCY -> Types.DECIMAL;
      case BOOLEAN -> Types.BOOLEAN;
      case DATE -> Types.DATE;
      case DATETIME -> Types.TIMESTAMP_WITH_TIMEZONE;
      default -> Types.VARCHAR;
    };
  }

  private static String text(Object value, int maxLength) throws InvalidValue {
    if (!(value instanceof String text)) {
      throw new InvalidValue("is a " + value.getClass().getSimpleName() + ", not text");
    }
    if (text.length() > maxLength) {
      throw new InvalidValue("is longer than " + maxLength + " characters");
    }
    return text;
  }

  private static BigDecimal decimal(Object value) throws InvalidValue {
    return switch (value) {
      case BigDecimal decimal -> decimal;
      case BigInteger integer -> new BigDecimal(integer);
      case Long number -> BigDecimal.valueOf(number);
      case Integer number -> BigDecimal.valueOf(number);
      case Short number -> BigDecimal.valueOf(number);
      case Byte number -> BigDecimal.valueOf(number);
      case Double ignored ->
          throw new InvalidValue("is binary floating point: pass a decimal (BigDecimal or text)");
      case Float ignored ->
          throw new InvalidValue("is binary floating point: pass a decimal (BigDecimal or text)");
      case String text -> {
        try {
          yield new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
          throw new InvalidValue("is not a number");
        }
      }
      default ->
          throw new InvalidValue("is a " + value.getClass().getSimpleName() + ", not a number");
    };
  }

  private static Boolean bool(Object value) throws InvalidValue {
    if (value instanceof Boolean bool) {
      return bool;
    }
    if (value instanceof String text) {
      String lower = text.strip().toLowerCase(Locale.ROOT);
      if (lower.equals("true") || lower.equals("false")) {
        return Boolean.valueOf(lower);
      }
    }
    throw new InvalidValue("is not true or false");
  }

  private static LocalDate date(Object value) throws InvalidValue {
    if (value instanceof LocalDate date) {
      return date;
    }
    if (value instanceof String text) {
      try {
        return LocalDate.parse(text.strip());
      } catch (DateTimeParseException e) {
        throw new InvalidValue("is not a date (yyyy-MM-dd)");
      }
    }
    throw new InvalidValue("is a " + value.getClass().getSimpleName() + ", not a date");
  }

  private static Instant dateTime(Object value) throws InvalidValue {
    return switch (value) {
      case Instant instant -> instant;
      case OffsetDateTime offsetDateTime -> offsetDateTime.toInstant();
      case ZonedDateTime zonedDateTime -> zonedDateTime.toInstant();
      case String text -> {
        try {
          yield OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
          throw new InvalidValue("is not an ISO-8601 date-time with offset");
        }
      }
      default ->
          throw new InvalidValue("is a " + value.getClass().getSimpleName() + ", not a date-time");
    };
  }

  /** Why a value does not fit a field; the caller adds which value, field and object type. */
  static final class InvalidValue extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidValue(String reason) {
      super(reason, null, false, false);
    }
  }
}

package io.orchestrion.api.object;

/**
 * The value types of fields, flow variables and action parameters. Java representations: TEXT,
 * PICKLIST, USER and LOOKUP are {@link String}; NUMBER and CURRENCY are {@link
 * java.math.BigDecimal} (never binary floating point); BOOLEAN is {@link Boolean}; DATE is {@link
 * java.time.LocalDate}; DATETIME is {@link java.time.Instant}; RECORD is {@link RecordData}.
 * Collections are {@link java.util.List}s of these.
 */
public enum DataType {
  TEXT,
  NUMBER,
  CURRENCY,
  BOOLEAN,
  DATE,
  DATETIME,
  PICKLIST,
  /** A user id. */
  USER,
  /** The id of a record of a given object type. */
  LOOKUP,
  /** A whole record of a given object type (flow variables only, not a field type). */
  RECORD;

  public boolean isNumeric() {
    return this == NUMBER || this == CURRENCY;
  }

  public boolean isTextual() {
    return this == TEXT || this == PICKLIST || this == USER || this == LOOKUP;
  }
}

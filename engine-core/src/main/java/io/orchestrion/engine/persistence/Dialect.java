package io.orchestrion.engine.persistence;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

/**
 * The databases the engine supports. Most SQL is shared; the few differences (column types in
 * migrations, returning updated rows, text collation) live here so that they are in one place.
 */
public enum Dialect {
  H2("CHARACTER LARGE OBJECT", "BINARY LARGE OBJECT", ""),
  // COLLATE "C": PostgreSQL would otherwise sort text by the server's locale, H2 by code point; the
  // engine sorts the same way on both so that a query gives the same order everywhere.
  POSTGRESQL("TEXT", "BYTEA", " COLLATE \"C\"");

  private final String jsonType;
  private final String binaryType;
  private final String textCollation;

  Dialect(String jsonType, String binaryType, String textCollation) {
    this.jsonType = jsonType;
    this.binaryType = binaryType;
    this.textCollation = textCollation;
  }

  /** The dialect of a connected database, from its product name. */
  public static Dialect of(DatabaseMetaData metaData) throws SQLException {
    return fromProductName(metaData.getDatabaseProductName());
  }

  public static Dialect fromProductName(String productName) {
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.equals("h2")) {
      return H2;
    }
    if (name.equals("postgresql")) {
      return POSTGRESQL;
    }
    throw new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST,
        "Unsupported database '" + productName + "': Orchestrion runs on H2 and PostgreSQL");
  }

  /** The column type of JSON documents (stored as text, exactly as written). */
  public String jsonType() {
    return jsonType;
  }

  /** The column type of binary documents. */
  public String binaryType() {
    return binaryType;
  }

  /** The clause appended to a text column definition so that text sorts by code point. */
  public String textCollation() {
    return textCollation;
  }

  /**
   * Wraps an {@code UPDATE ...} (without a trailing semicolon) so that executing it as a query
   * returns the updated rows with the given columns: one round trip instead of update + select.
   */
  public String returningUpdatedRows(String updateStatement, String columns) {
    return switch (this) {
      case H2 -> "SELECT " + columns + " FROM FINAL TABLE (" + updateStatement + ")";
      case POSTGRESQL -> updateStatement + " RETURNING " + columns;
    };
  }

  /** The Flyway placeholders that let one migration script serve every dialect. */
  public Map<String, String> migrationPlaceholders() {
    return Map.of(
        "json_type", jsonType, "binary_type", binaryType, "text_collation", textCollation);
  }
}

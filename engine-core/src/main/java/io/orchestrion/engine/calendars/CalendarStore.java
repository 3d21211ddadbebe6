package io.orchestrion.engine.calendars;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.calendar.BusinessCalendar;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code business_calendars} table. Every method works through the caller's transaction; there
 * is no cache, so a change is seen by the next transaction on any node.
 */
public final class CalendarStore {
  private final Database database;
  private final ObjectMapper mapper;

  @Inject
  public CalendarStore(Database database, ObjectMapper mapper) {
    this.database = requireNonNull(database, "database is null");
    this.mapper = requireNonNull(mapper, "mapper is null");
  }

  /** Whether calendar {@code name} exists, through the caller's transaction. */
  public boolean exists(Transaction tx, String name) {
    try {
      return find(tx, name).isPresent();
    } catch (SQLException e) {
      throw Database.databaseError("reading calendar '" + name + "'", e);
    }
  }

  /** Whether calendar {@code name} exists, in a transaction of its own. */
  public boolean exists(String name) {
    return database.inTransaction(tx -> exists(tx, name));
  }

  public Optional<BusinessCalendar> find(Transaction tx, String name) throws SQLException {
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement("SELECT definition FROM business_calendars WHERE name = ?")) {
      statement.setString(1, name);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.of(read(rs.getString(1))) : Optional.empty();
      }
    }
  }

  /** Every calendar, by name. */
  public List<BusinessCalendar> list(Transaction tx) throws SQLException {
    List<BusinessCalendar> calendars = new ArrayList<>();
    try (PreparedStatement statement =
            tx.connection()
                .prepareStatement("SELECT definition FROM business_calendars ORDER BY name");
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        calendars.add(read(rs.getString(1)));
      }
    }
    return calendars;
  }

  /** Creates or replaces the calendar; true when it was created. */
  public boolean put(Transaction tx, BusinessCalendar calendar, Instant now) throws SQLException {
    String json = write(calendar);
    try (PreparedStatement update =
        tx.connection()
            .prepareStatement(
                "UPDATE business_calendars SET definition = ?, updated_at = ? WHERE name = ?")) {
      update.setString(1, json);
      JdbcValues.setInstant(update, 2, now);
      update.setString(3, calendar.name());
      if (update.executeUpdate() == 1) {
        return false;
      }
    }
    try (PreparedStatement insert =
        tx.connection()
            .prepareStatement(
                "INSERT INTO business_calendars (name, definition, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?)")) {
      insert.setString(1, calendar.name());
      insert.setString(2, json);
      JdbcValues.setInstant(insert, 3, now);
      JdbcValues.setInstant(insert, 4, now);
      insert.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (JdbcValues.isUniqueViolation(e)) {
        throw new OrchestrionException(
            StandardErrorCode.CONFLICT,
            "calendar '%s' was created by another request at the same time; try again"
                .formatted(calendar.name()));
      }
      throw e;
    }
  }

  /** Deletes the calendar; false when there was none. */
  public boolean delete(Transaction tx, String name) throws SQLException {
    try (PreparedStatement statement =
        tx.connection().prepareStatement("DELETE FROM business_calendars WHERE name = ?")) {
      statement.setString(1, name);
      return statement.executeUpdate() == 1;
    }
  }

  private BusinessCalendar read(String json) {
    try {
      return mapper.readValue(json, BusinessCalendar.class);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "a stored calendar cannot be read: " + e.getOriginalMessage(),
          e);
    }
  }

  private String write(BusinessCalendar calendar) {
    try {
      return mapper.writeValueAsString(calendar);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR, "a calendar cannot be stored: " + e.getMessage(), e);
    }
  }
}

package io.orchestrion.engine.notifications;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.events.StoredEvents;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.spi.notification.Notification;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the next events a listener wants, with their submitter and the record's summary, in one
 * short read-only transaction (closed before any listener is called).
 */
public final class NotificationFeed {
  private final UnitsOfWork units;
  private final ObjectMapper mapper;
  private final ObjectTypeStore objectTypes;

  @Inject
  public NotificationFeed(UnitsOfWork units, ObjectMapper mapper, ObjectTypeStore objectTypes) {
    this.units = requireNonNull(units, "units is null");
    this.mapper = requireNonNull(mapper, "mapper is null");
    this.objectTypes = requireNonNull(objectTypes, "objectTypes is null");
  }

  /**
   * Up to {@code limit} events of {@code kinds} numbered after {@code after} and at most {@code
   * upTo}, in sequence order.
   */
  public List<Notification> next(Set<EventKind> kinds, long after, long upTo, int limit) {
    if (kinds.isEmpty() || upTo <= after) {
      return List.of();
    }
    // Listeners act on what they are given (a mail sent): it must not vanish in a crash.
    return units.callWritten(
        uow -> {
          List<OrchestrationEvent> events = new ArrayList<>();
          try (PreparedStatement select =
              uow.connection()
                  .prepareStatement(
                      "SELECT "
                          + StoredEvents.COLUMNS
                          + " FROM events WHERE sequence > ? AND sequence <= ? AND kind IN ("
                          + String.join(", ", Collections.nCopies(kinds.size(), "?"))
                          + ") ORDER BY sequence FETCH FIRST "
                          + limit
                          + " ROWS ONLY")) {
            int index = 1;
            select.setLong(index++, after);
            select.setLong(index++, upTo);
            for (EventKind kind : kinds) {
              select.setString(index++, kind.name());
            }
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                events.add(StoredEvents.read(rs, mapper));
              }
            }
          }
          Map<String, Optional<String>> submitters = new LinkedHashMap<>();
          Map<String, Map<String, Object>> summaries = new LinkedHashMap<>();
          List<Notification> notifications = new ArrayList<>();
          for (OrchestrationEvent event : events) {
            Optional<String> submitter =
                event.submissionId().isEmpty()
                    ? Optional.empty()
                    : submitters.computeIfAbsent(event.submissionId(), id -> submitter(uow, id));
            Map<String, Object> summary =
                event.objectType().isEmpty() || event.recordId().isEmpty()
                    ? Map.of()
                    : summaries.computeIfAbsent(
                        event.objectType() + "/" + event.recordId(),
                        key -> summary(uow, event.objectType(), event.recordId()));
            notifications.add(new Notification(event, submitter, summary));
          }
          return notifications;
        });
  }

  private static Optional<String> submitter(UnitOfWork uow, String submissionId) {
    try (PreparedStatement select =
        uow.connection().prepareStatement("SELECT submitter_id FROM submissions WHERE id = ?")) {
      select.setString(1, submissionId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw Database.databaseError("reading the submitter of submission " + submissionId, e);
    }
  }

  /**
   * The record's fields its object type marks {@code approverVisible}, in the type's field order
   * (the work item's record summary, SPEC §7); empty when none is or the record is gone.
   */
  private Map<String, Object> summary(UnitOfWork uow, String objectType, String recordId) {
    List<String> visible =
        objectTypes
            .find(uow.transaction(), objectType)
            .map(ObjectTypeDefinition::fields)
            .orElse(List.of())
            .stream()
            .filter(FieldDefinition::approverVisible)
            .map(FieldDefinition::name)
            .toList();
    if (visible.isEmpty()) {
      return Map.of();
    }
    Optional<RecordData> record = uow.records().find(objectType, recordId);
    Map<String, Object> values = new LinkedHashMap<>();
    record.ifPresent(
        found -> visible.forEach(name -> values.put(name, plain(found.fields().get(name)))));
    return values;
  }

  /** Text, numbers and booleans as they are; dates, times and anything else as their ISO text. */
  private static Object plain(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof BigDecimal
        || value instanceof Long
        || value instanceof Integer) {
      return value;
    }
    return value.toString();
  }
}

package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.engine.approvals.ApprovalRules;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.approvals.Delegations;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.engine.work.UnitOfWork;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the eligible deciders of an open work item (its assignees, and the assigned user's delegate
 * while the delegation is in force) may read of the record under approval (SPEC §7): the fields its
 * object type marks {@code approverVisible}, while the item is ASSIGNED. The work item and the
 * inbox carry them as the record's summary; a decider without access of their own reads them with
 * {@code GET /records/{type}/{id}}.
 */
public final class ApproverFields {
  private final ObjectTypeStore objectTypes;
  private final Assignees assignees;
  private final Delegations delegations;

  @Inject
  public ApproverFields(ObjectTypeStore objectTypes, Assignees assignees, Delegations delegations) {
    this.objectTypes = requireNonNull(objectTypes, "objectTypes is null");
    this.assignees = requireNonNull(assignees, "assignees is null");
    this.delegations = requireNonNull(delegations, "delegations is null");
  }

  /** The approver-visible fields of a record (empty when none is marked or it is gone). */
  public Map<String, Object> summary(UnitOfWork uow, String objectType, String recordId) {
    Set<String> visible = visibleFields(uow, objectType);
    if (visible.isEmpty()) {
      return Map.of();
    }
    return uow.records()
        .find(objectType, recordId)
        .map(record -> select(record, visible))
        .orElse(Map.of());
  }

  /**
   * The record as an eligible decider of one of its open work items sees it: its id and the
   * approver-visible fields; empty when {@code userId} decides no open item of the record.
   */
  public Optional<RecordData> forDecider(
      UnitOfWork uow, String objectType, String recordId, String userId) {
    // Most object types mark no field: then no query at all (the definition is cached).
    Set<String> visible = visibleFields(uow, objectType);
    if (visible.isEmpty() || !decidesOpenItem(uow, objectType, recordId, userId)) {
      return Optional.empty();
    }
    return uow.records()
        .find(objectType, recordId)
        .map(
            record -> {
              Map<String, Object> fields = new LinkedHashMap<>();
              fields.put(SystemFields.ID, record.fields().get(SystemFields.ID));
              fields.putAll(select(record, visible));
              return new RecordData(objectType, fields, record.version());
            });
  }

  private boolean decidesOpenItem(
      UnitOfWork uow, String objectType, String recordId, String userId) {
    try (PreparedStatement statement =
        uow.connection()
            .prepareStatement(
                // submissions_by_record, then work_items_by_run.
                "SELECT w.assignee_type, w.assignee_id FROM submissions s"
                    + " JOIN work_items w ON w.run_id = s.run_id"
                    + " WHERE s.object_type = ? AND s.record_id = ? AND w.status = 'ASSIGNED'")) {
      statement.setString(1, objectType);
      statement.setString(2, recordId);
      try (ResultSet rows = statement.executeQuery()) {
        Assignees people = assignees.within(uow);
        Set<String> principals = null;
        while (rows.next()) {
          String type = rows.getString(1);
          String id = rows.getString(2);
          if (people.isAssignedTo(type, id, userId)) {
            return true;
          }
          // The assigned user's delegate decides too, while the delegation is in force.
          if (ApprovalRules.isDelegable(type)) {
            principals = principals == null ? delegations.principalsOf(uow, userId) : principals;
            if (principals.contains(id)) {
              return true;
            }
          }
        }
      }
      return false;
    } catch (SQLException e) {
      throw Database.databaseError(
          "reading the open work items of " + objectType + " '" + recordId + "'", e);
    }
  }

  private Set<String> visibleFields(UnitOfWork uow, String objectType) {
    return objectTypes
        .find(uow.transaction(), objectType)
        .map(ObjectTypeDefinition::fields)
        .map(
            fields ->
                fields.stream()
                    .filter(FieldDefinition::approverVisible)
                    .map(FieldDefinition::name)
                    .collect(Collectors.toUnmodifiableSet()))
        .orElse(Set.of());
  }

  private static Map<String, Object> select(RecordData record, Set<String> names) {
    Map<String, Object> selected = new LinkedHashMap<>();
    record
        .fields()
        .forEach(
            (name, value) -> {
              if (names.contains(name)) {
                selected.put(name, value);
              }
            });
    return selected;
  }
}

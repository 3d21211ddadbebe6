package io.orchestrion.engine.records;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.SystemFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an object type before any DDL runs (H2 commits DDL at once, so nothing may fail after it),
 * and reports every problem at once.
 */
final class ObjectTypeValidator {
  /**
   * Digits after the decimal point a NUMBER or CURRENCY field may have; columns are DECIMAL(38).
   */
  static final int MAX_SCALE = 18;

  static final int MAX_PICKLIST_VALUE_LENGTH = FieldValues.PICKLIST_COLUMN_LENGTH;

  private ObjectTypeValidator() {}

  static void validate(ObjectTypeDefinition definition) {
    List<Problem> problems = new ArrayList<>();
    String apiName = definition.apiName();
    if (!RecordTables.isValidName(apiName)) {
      problems.add(
          new Problem(
              "$.apiName",
              "'"
                  + apiName
                  + "' is not a valid api name: a letter, then letters, digits or '_', at most 40"));
    } else if (RecordTables.snakeCase(apiName).length() > RecordTables.MAX_SNAKE_LENGTH) {
      problems.add(
          new Problem(
              "$.apiName", "'" + apiName + "' has too many words to name a table: use fewer"));
    }
    // Different names that map to the same column (Amount, amount, amount_) cannot coexist.
    Map<String, String> nameByColumn = new HashMap<>();
    for (int i = 0; i < definition.fields().size(); i++) {
      validateField(definition.fields().get(i), "$.fields[" + i + "]", nameByColumn, problems);
    }
    if (!problems.isEmpty()) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_DEFINITION,
          "Object type '" + apiName + "' is invalid",
          problems);
    }
  }

  private static void validateField(
      FieldDefinition field,
      String path,
      Map<String, String> nameByColumn,
      List<Problem> problems) {
    String name = field.name();
    if (!RecordTables.isValidName(name)) {
      problems.add(
          new Problem(
              path + ".name",
              "'"
                  + name
                  + "' is not a valid field name: a letter, then letters, digits or '_', at most"
                  + " 40"));
    } else if (isSystemFieldName(name)) {
      problems.add(
          new Problem(
              path + ".name",
              "'" + name + "' is a system field name: every record has it already"));
    } else if (RecordTables.snakeCase(name).length() > RecordTables.MAX_SNAKE_LENGTH) {
      problems.add(
          new Problem(path + ".name", "'" + name + "' has too many words to name a column"));
    } else {
      String column = RecordTables.columnName(name);
      String clash = nameByColumn.putIfAbsent(column, name);
      if (clash != null) {
        problems.add(
            new Problem(
                path + ".name",
                clash.equals(name)
                    ? "duplicate field name '" + name + "'"
                    : "field name '"
                        + name
                        + "' clashes with field '"
                        + clash
                        + "' (same column)"));
      }
    }
    validateTypeOptions(field, path, problems);
  }

  private static void validateTypeOptions(
      FieldDefinition field, String path, List<Problem> problems) {
    DataType type = field.type();
    if (type == DataType.RECORD) {
      problems.add(
          new Problem(
              path + ".type",
              "field '"
                  + field.name()
                  + "' cannot be of type RECORD: use LOOKUP to refer to a record"));
    }
    if (type == DataType.PICKLIST) {
      validatePicklistValues(field, path, problems);
    } else if (!field.values().isEmpty()) {
      problems.add(
          new Problem(
              path + ".values",
              "field '" + field.name() + "' is " + type + ": only PICKLIST fields have values"));
    }
    if (type == DataType.LOOKUP) {
      Optional<String> objectType = field.objectType();
      if (objectType.isEmpty()) {
        problems.add(
            new Problem(
                path + ".objectType",
                "LOOKUP field '" + field.name() + "' needs the objectType it refers to"));
      } else if (!RecordTables.isValidName(objectType.get())) {
        problems.add(
            new Problem(
                path + ".objectType",
                "'" + objectType.get() + "' is not a valid object type name"));
      }
    } else if (field.objectType().isPresent()) {
      problems.add(
          new Problem(
              path + ".objectType",
              "field '"
                  + field.name()
                  + "' is "
                  + type
                  + ": only LOOKUP fields have an objectType"));
    }
    if (field.scale().isPresent()) {
      int scale = field.scale().get();
      if (!type.isNumeric()) {
        problems.add(
            new Problem(
                path + ".scale",
                "field '"
                    + field.name()
                    + "' is "
                    + type
                    + ": only NUMBER and CURRENCY have a scale"));
      } else if (scale < 0 || scale > MAX_SCALE) {
        problems.add(
            new Problem(
                path + ".scale",
                "scale "
                    + scale
                    + " of field '"
                    + field.name()
                    + "' is not within 0.."
                    + MAX_SCALE));
      }
    }
  }

  private static void validatePicklistValues(
      FieldDefinition field, String path, List<Problem> problems) {
    if (field.values().isEmpty()) {
      problems.add(
          new Problem(
              path + ".values", "PICKLIST field '" + field.name() + "' needs at least one value"));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < field.values().size(); i++) {
      String value = field.values().get(i);
      String valuePath = path + ".values[" + i + "]";
      if (value.isBlank() || value.length() > MAX_PICKLIST_VALUE_LENGTH) {
        problems.add(
            new Problem(
                valuePath,
                "picklist value '"
                    + value
                    + "' must be 1 to "
                    + MAX_PICKLIST_VALUE_LENGTH
                    + " characters, not blank"));
      } else if (!seen.add(value)) {
        problems.add(new Problem(valuePath, "duplicate picklist value '" + value + "'"));
      }
    }
  }

  private static boolean isSystemFieldName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return SystemFields.ALL.stream()
            .anyMatch(field -> field.name().toLowerCase(Locale.ROOT).equals(lower))
        || lower.equals("version");
  }

  /**
   * The problems of changing {@code stored} into {@code requested}: a change that would lose or
   * reinterpret stored values (a field removed, its type, scale or referenced object changed).
   */
  static List<Problem> incompatibleChanges(
      ObjectTypeDefinition stored, ObjectTypeDefinition requested) {
    List<Problem> problems = new ArrayList<>();
    for (FieldDefinition old : stored.fields()) {
      int index = indexOf(requested, old.name());
      if (index < 0) {
        problems.add(
            new Problem(
                "$.fields",
                "field '"
                    + old.name()
                    + "' of '"
                    + stored.apiName()
                    + "' cannot be removed: its stored values would be lost"));
        continue;
      }
      FieldDefinition changed = requested.fields().get(index);
      String path = "$.fields[" + index + "]";
      if (changed.type() != old.type()) {
        problems.add(
            new Problem(
                path + ".type",
                "field '"
                    + old.name()
                    + "' cannot change type from "
                    + old.type()
                    + " to "
                    + changed.type()
                    + ": its stored values would be lost"));
      } else if (old.type().isNumeric() && old.effectiveScale() != changed.effectiveScale()) {
        problems.add(
            new Problem(
                path + ".scale",
                "field '"
                    + old.name()
                    + "' cannot change scale from "
                    + old.effectiveScale()
                    + " to "
                    + changed.effectiveScale()
                    + ": stored values would be rounded"));
      } else if (!old.objectType().equals(changed.objectType())) {
        problems.add(
            new Problem(
                path + ".objectType",
                "LOOKUP field '"
                    + old.name()
                    + "' cannot change the object type it refers to from '"
                    + old.objectType().orElse("")
                    + "' to '"
                    + changed.objectType().orElse("")
                    + "'"));
      }
    }
    return problems;
  }

  private static int indexOf(ObjectTypeDefinition definition, String fieldName) {
    for (int i = 0; i < definition.fields().size(); i++) {
      if (definition.fields().get(i).name().equals(fieldName)) {
        return i;
      }
    }
    return -1;
  }
}

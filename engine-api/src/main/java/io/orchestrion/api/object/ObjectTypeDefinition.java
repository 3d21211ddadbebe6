package io.orchestrion.api.object;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The schema of records: its fields and the org-wide sharing default. The system fields of {@link
 * SystemFields} exist on every object type and are not listed here.
 */
public record ObjectTypeDefinition(
    String apiName, SharingModel sharing, List<FieldDefinition> fields) {
  public ObjectTypeDefinition {
    requireNonNull(apiName, "apiName is null");
    sharing = sharing == null ? SharingModel.PRIVATE : sharing;
    fields = fields == null ? List.of() : List.copyOf(fields);
  }

  /** The declared field or system field with this name (case-sensitive). */
  public Optional<FieldDefinition> field(String name) {
    for (FieldDefinition field : fields) {
      if (field.name().equals(name)) {
        return Optional.of(field);
      }
    }
    return SystemFields.definition(name);
  }
}

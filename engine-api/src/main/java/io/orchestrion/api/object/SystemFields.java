package io.orchestrion.api.object;

import java.util.List;
import java.util.Optional;

/** The fields every record has, maintained by the engine. */
public final class SystemFields {
  public static final String ID = "Id";
  public static final String OWNER_ID = "OwnerId";
  public static final String CREATED_BY_ID = "CreatedById";
  public static final String CREATED_DATE = "CreatedDate";
  public static final String LAST_MODIFIED_BY_ID = "LastModifiedById";
  public static final String LAST_MODIFIED_DATE = "LastModifiedDate";

  public static final List<FieldDefinition> ALL =
      List.of(
          FieldDefinition.of(ID, DataType.LOOKUP),
          FieldDefinition.of(OWNER_ID, DataType.USER),
          FieldDefinition.of(CREATED_BY_ID, DataType.USER),
          FieldDefinition.of(CREATED_DATE, DataType.DATETIME),
          FieldDefinition.of(LAST_MODIFIED_BY_ID, DataType.USER),
          FieldDefinition.of(LAST_MODIFIED_DATE, DataType.DATETIME));

  private SystemFields() {}

  public static boolean isSystemField(String name) {
    return definition(name).isPresent();
  }

  public static Optional<FieldDefinition> definition(String name) {
    return ALL.stream().filter(field -> field.name().equals(name)).findFirst();
  }

  /** System fields that a caller may set: only the owner, and only on create or by an admin. */
  public static boolean isWritable(String name) {
    return OWNER_ID.equals(name);
  }
}

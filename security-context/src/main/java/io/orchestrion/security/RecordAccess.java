package io.orchestrion.security;

/** The access a user has to one record through sharing (SPEC §7), weakest first. */
public enum RecordAccess {
  NONE,
  READ,
  EDIT,
  /** Owner, above the owner in the role hierarchy, or MODIFY_ALL: may also delete. */
  FULL;

  public boolean allows(RecordOperation operation) {
    return switch (operation) {
      case READ -> this != NONE;
      case EDIT, CREATE -> this == EDIT || this == FULL;
      case DELETE -> this == FULL;
    };
  }
}

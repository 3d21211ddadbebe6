package io.orchestrion.spi.directory;

/** A permission set held by a user. */
public record PermissionSetAssignment(String userId, String permissionSetId) {
  public PermissionSetAssignment {
    DirectoryIds.check(userId, "user id");
    DirectoryIds.check(permissionSetId, "permission set id");
  }
}

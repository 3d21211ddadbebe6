package io.orchestrion.spi.directory;

import static java.util.Objects.requireNonNull;

/**
 * An explicit share of one record with a user, a group (public group or queue) or a role: the
 * members get {@code access} to the record whatever its org-wide default (SPEC §7). A share to a
 * role reaches the users in exactly that role; users above them see the record only if they see it
 * otherwise.
 */
public record RecordShare(
    String objectType,
    String recordId,
    GranteeType granteeType,
    String granteeId,
    ShareAccess access) {
  public RecordShare {
    requireNonNull(objectType, "objectType is null");
    requireNonNull(recordId, "recordId is null");
    requireNonNull(granteeType, "granteeType is null");
    DirectoryIds.check(granteeId, "grantee id");
    requireNonNull(access, "access is null");
  }

  public enum GranteeType {
    USER,
    /** A public group or a queue. */
    GROUP,
    ROLE
  }
}

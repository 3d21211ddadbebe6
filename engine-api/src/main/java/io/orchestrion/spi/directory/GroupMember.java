package io.orchestrion.spi.directory;

import static java.util.Objects.requireNonNull;

/** A member of a public group or a queue. */
public record GroupMember(Type type, String id) {
  public GroupMember {
    requireNonNull(type, "type is null");
    DirectoryIds.check(id, "member id");
  }

  public static GroupMember user(String userId) {
    return new GroupMember(Type.USER, userId);
  }

  public static GroupMember role(String roleId) {
    return new GroupMember(Type.ROLE, roleId);
  }

  public static GroupMember roleAndSubordinates(String roleId) {
    return new GroupMember(Type.ROLE_AND_SUBORDINATES, roleId);
  }

  public static GroupMember group(String groupId) {
    return new GroupMember(Type.GROUP, groupId);
  }

  public enum Type {
    USER,
    /** The users whose role is this role. */
    ROLE,
    /** The users whose role is this role or any role below it. */
    ROLE_AND_SUBORDINATES,
    /** The members of another public group (nested, transitively). */
    GROUP
  }
}

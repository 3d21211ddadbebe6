package io.orchestrion.spi.directory;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A queue: members like a public group, for work items of the given object types. For sharing, a
 * queue counts as a group (a share to the queue's id reaches its members).
 */
public record Queue(String id, String name, List<GroupMember> members, List<String> objectTypes) {
  public Queue {
    DirectoryIds.check(id, "queue id");
    requireNonNull(name, "name is null");
    members = List.copyOf(members);
    objectTypes = List.copyOf(objectTypes);
  }
}

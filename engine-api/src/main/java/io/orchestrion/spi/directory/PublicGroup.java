package io.orchestrion.spi.directory;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A public group: records and work items can be shared with it. */
public record PublicGroup(String id, String name, List<GroupMember> members) {
  public PublicGroup {
    DirectoryIds.check(id, "group id");
    requireNonNull(name, "name is null");
    members = List.copyOf(members);
  }
}

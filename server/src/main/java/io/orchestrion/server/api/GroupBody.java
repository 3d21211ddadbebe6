package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PublicGroup;
import java.util.List;
import java.util.Optional;

/** The body of {@code PUT /groups/{id}}: the group's name and all its members (default none). */
public record GroupBody(Optional<String> id, String name, List<GroupMember> members) {
  public GroupBody {
    id = id == null ? Optional.empty() : id;
    requireNonNull(name, "name is null");
    members = members == null ? List.of() : List.copyOf(members);
  }

  PublicGroup toGroup(String pathId) {
    DirectoryRequests.requireSameId(id, pathId, "Group '" + pathId + "'");
    return new PublicGroup(pathId, name, members);
  }
}

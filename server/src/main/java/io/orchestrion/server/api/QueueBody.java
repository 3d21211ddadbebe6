package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.Queue;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code PUT /queues/{id}}: the queue's name, all its members and the object types it
 * serves (both default to none).
 */
public record QueueBody(
    Optional<String> id, String name, List<GroupMember> members, List<String> objectTypes) {
  public QueueBody {
    id = id == null ? Optional.empty() : id;
    requireNonNull(name, "name is null");
    members = members == null ? List.of() : List.copyOf(members);
    objectTypes = objectTypes == null ? List.of() : List.copyOf(objectTypes);
  }

  Queue toQueue(String pathId) {
    DirectoryRequests.requireSameId(id, pathId, "Queue '" + pathId + "'");
    return new Queue(pathId, name, members, objectTypes);
  }
}

package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.spi.directory.Queue;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code PUT /queues/{id}}: creates (201) or replaces (200) a queue, its members and object types
 * (MANAGE_USERS).
 */
public final class PutQueueHandler implements Handler<RoutingContext> {
  private final DirectoryService directory;
  private final DirectoryAccess access;
  private final JsonBodies json;

  @Inject
  public PutQueueHandler(DirectoryService directory, DirectoryAccess access, JsonBodies json) {
    this.directory = requireNonNull(directory, "directory is null");
    this.access = requireNonNull(access, "access is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    access.requireManageUsers(context);
    String id = DirectoryRequests.pathId(context, "id");
    Queue queue =
        json.read(context, QueueBody.class, "Queue", StandardErrorCode.INVALID_REQUEST).toQueue(id);
    boolean existed = directory.directory().queues().stream().anyMatch(q -> q.id().equals(id));
    json.respond(context, existed ? 200 : 201, directory.saveQueue(queue));
  }
}

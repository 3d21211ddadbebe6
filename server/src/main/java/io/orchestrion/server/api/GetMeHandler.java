package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.AccessService;
import io.orchestrion.security.UserAccess;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.spi.directory.SystemPermission;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /me}: the signed-in user (from the bearer token) and their effective system
 * permissions, groups and queues; open to every authenticated user. A console reads it to show who
 * is signed in and which sections to offer.
 */
public final class GetMeHandler implements Handler<RoutingContext> {
  private final AccessService access;
  private final JsonBodies json;

  @Inject
  public GetMeHandler(AccessService access, JsonBodies json) {
    this.access = requireNonNull(access, "access is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String userId = AuthenticatedUser.of(context).userId();
    UserAccess user = access.access(userId);
    json.respond(
        context,
        200,
        new Me(
            userId,
            user.user().displayName(),
            user.user().email(),
            user.user().managerId(),
            user.permissions().systemPermissions().stream().sorted().toList(),
            user.groupIds().stream().sorted().toList()));
  }

  /** The body of {@code GET /me}. */
  public record Me(
      String id,
      String displayName,
      Optional<String> email,
      Optional<String> managerId,
      List<SystemPermission> permissions,
      List<String> groups) {
    public Me {
      requireNonNull(id, "id is null");
      requireNonNull(displayName, "displayName is null");
      permissions = List.copyOf(permissions);
      groups = List.copyOf(groups);
    }
  }
}

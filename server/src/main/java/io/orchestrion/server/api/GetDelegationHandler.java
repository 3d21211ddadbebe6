package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.engine.DelegationService;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code GET /users/{id}/delegation}: the user's delegate and window, with {@code active} as of
 * now; 404 when they have none. For the user themself or a user manager (MANAGE_USERS), as the
 * engine decides ({@link DelegationService}).
 */
public final class GetDelegationHandler implements Handler<RoutingContext> {
  private final DelegationService delegations;
  private final JsonBodies json;

  @Inject
  public GetDelegationHandler(DelegationService delegations, JsonBodies json) {
    this.delegations = requireNonNull(delegations, "delegations is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String id = DirectoryRequests.pathId(context, "id");
    json.respond(
        context,
        200,
        delegations
            .get(id, AuthenticatedUser.of(context).userId())
            .orElseThrow(() -> OrchestrionException.notFound("Delegation of user '" + id + "'")));
  }
}

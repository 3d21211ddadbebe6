package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.DelegationService;
import io.orchestrion.server.http.AuthenticatedUser;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code DELETE /users/{id}/delegation}: ends the user's delegation at once (204); 404 when they
 * have none. The user themself or a user manager (MANAGE_USERS).
 */
public final class DeleteDelegationHandler implements Handler<RoutingContext> {
  private final DelegationService delegations;

  @Inject
  public DeleteDelegationHandler(DelegationService delegations) {
    this.delegations = requireNonNull(delegations, "delegations is null");
  }

  @Override
  public void handle(RoutingContext context) {
    delegations.end(
        DirectoryRequests.pathId(context, "id"), AuthenticatedUser.of(context).userId());
    context.response().setStatusCode(204).end();
  }
}

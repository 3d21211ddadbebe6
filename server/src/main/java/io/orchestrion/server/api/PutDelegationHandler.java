package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.DelegationService;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code PUT /users/{id}/delegation} {@code {delegateId, from?, until?}}: sets (201) or replaces
 * (200) the user's delegate. The user themself or a user manager (MANAGE_USERS); the permission is
 * checked before the body is read, so a caller without it learns nothing from validation.
 */
public final class PutDelegationHandler implements Handler<RoutingContext> {
  private final DelegationService delegations;
  private final JsonBodies json;

  @Inject
  public PutDelegationHandler(DelegationService delegations, JsonBodies json) {
    this.delegations = requireNonNull(delegations, "delegations is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String id = DirectoryRequests.pathId(context, "id");
    String caller = AuthenticatedUser.of(context).userId();
    // The engine's first checks, before the body is read: a caller without the right learns
    // nothing from validation (403), an unknown user is 404.
    delegations.requireMaySet(id, caller);
    DelegationBody body =
        json.read(context, DelegationBody.class, "Delegation", StandardErrorCode.INVALID_REQUEST);
    DelegationService.Stored stored =
        delegations.set(id, body.delegateId(), body.from(), body.until(), caller);
    json.respond(context, stored.created() ? 201 : 200, stored.delegation());
  }
}

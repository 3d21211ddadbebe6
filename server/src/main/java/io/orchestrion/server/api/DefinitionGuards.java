package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.DefinitionAccess;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.server.http.Permissions;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.function.Consumer;

/**
 * Route handlers that ask the engine ({@link DefinitionAccess}) whether the caller may change
 * definitions before the endpoint reads its path and body, so that a caller without the right
 * learns nothing from validation (403 first). The rule is the engine's: the endpoint's engine call
 * checks it again, as it does for every embedder.
 */
public final class DefinitionGuards {
  private final DefinitionAccess access;

  @Inject
  public DefinitionGuards(DefinitionAccess access) {
    this.access = requireNonNull(access, "access is null");
  }

  /** Deploying definitions and activating versions (object types included). */
  public Handler<RoutingContext> mayDeploy() {
    return guard(access::requireMayDeploy);
  }

  /** Deactivating and deleting definition versions. */
  public Handler<RoutingContext> mayRetire() {
    return guard(access::requireMayRetire);
  }

  /** Creating, replacing and deleting business calendars. */
  public Handler<RoutingContext> mayManageCalendars() {
    return guard(access::requireMayManageCalendars);
  }

  private static Handler<RoutingContext> guard(Consumer<SecurityContext> check) {
    return context -> {
      check.accept(Permissions.userMode(context));
      context.next();
    };
  }
}

package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.engine.security.ActorPermissions;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.directory.SystemPermission;
import jakarta.inject.Inject;

/**
 * Who may change definitions — object types, flows, orchestrations and the business calendars they
 * refer to: active users holding MANAGE_DEFINITIONS (SPEC §7); reading them is open to everyone.
 * {@link ObjectTypeService}, {@link FlowService}, {@link OrchestrationService} and {@link
 * CalendarService} check it in their methods that take a {@link SecurityContext}; a host may ask
 * first, as the server does to refuse a request before reading its body. Each check reads the
 * directory revision on its own: call it outside a transaction. Thread-safe.
 */
public final class DefinitionAccess {
  private final ActorPermissions permissions;

  @Inject
  public DefinitionAccess(ActorPermissions permissions) {
    this.permissions = requireNonNull(permissions, "permissions is null");
  }

  /**
   * Passes when the caller may deploy definitions and activate versions (object types included).
   *
   * @throws OrchestrionException PERMISSION_DENIED naming the caller and MANAGE_DEFINITIONS
   */
  public void requireMayDeploy(SecurityContext caller) {
    require(caller, "deploy or activate definitions");
  }

  /**
   * Passes when the caller may deactivate and delete definition versions.
   *
   * @throws OrchestrionException PERMISSION_DENIED naming the caller and MANAGE_DEFINITIONS
   */
  public void requireMayRetire(SecurityContext caller) {
    require(caller, "deactivate or delete definition versions");
  }

  /**
   * Passes when the caller may create, replace and delete business calendars.
   *
   * @throws OrchestrionException PERMISSION_DENIED naming the caller and MANAGE_DEFINITIONS
   */
  public void requireMayManageCalendars(SecurityContext caller) {
    require(caller, "manage business calendars");
  }

  private void require(SecurityContext caller, String action) {
    requireNonNull(caller, "caller is null");
    permissions.require(caller.userId(), SystemPermission.MANAGE_DEFINITIONS, action);
  }
}

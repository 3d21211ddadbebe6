package io.orchestrion.engine;

/**
 * Built-in actors. Until per-user authentication exists (issue #4), the server's single API token
 * acts as {@link #ADMIN}, who holds every permission, approval admin included (SPEC §7).
 */
public final class EngineActors {
  public static final String ADMIN = "admin";

  private EngineActors() {}

  /** Approval admins may edit records while a submission is in progress (SPEC §3.1). */
  public static boolean isApprovalAdmin(String actorId) {
    return ADMIN.equals(actorId);
  }
}

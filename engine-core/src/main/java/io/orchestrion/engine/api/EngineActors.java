package io.orchestrion.engine.api;

/**
 * Built-in actors: {@link #ADMIN} is the built-in administrator user the engine creates on start,
 * holding every system permission (SPEC §7), so that a fresh installation has someone to sign in as
 * ({@code orchestrion token --user admin}) and create the real users.
 */
public final class EngineActors {
  public static final String ADMIN = "admin";

  private EngineActors() {}

  /** Approval admins may edit records while a submission is in progress (SPEC §3.1). */
  public static boolean isApprovalAdmin(String actorId) {
    return ADMIN.equals(actorId);
  }
}

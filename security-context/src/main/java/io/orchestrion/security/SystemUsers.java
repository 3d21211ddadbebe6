package io.orchestrion.security;

import io.orchestrion.api.flow.RunMode;

/** The built-in users of the engine. */
public final class SystemUsers {
  /**
   * The automated process user: runs and background steps act as this user unless a step says
   * otherwise (SPEC §7).
   */
  public static final String AUTOMATED_PROCESS_USER_ID = "automated-process";

  private SystemUsers() {}

  /** The automated process user in system context without sharing (DEFAULT resolved for it). */
  public static SecurityContext automatedProcess() {
    return new SecurityContext(AUTOMATED_PROCESS_USER_ID, RunMode.SYSTEM_WITHOUT_SHARING);
  }
}

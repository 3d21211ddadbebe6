package io.orchestrion.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.flow.RunMode;

/** Resolution of a flow's declared run mode to the mode an interview enforces. */
public final class RunModes {
  private RunModes() {}

  /**
   * The effective mode (SPEC §7): an explicit mode stays as it is; {@link RunMode#DEFAULT} becomes
   * {@link RunMode#SYSTEM_WITHOUT_SHARING} for the automated process user and {@link RunMode#USER}
   * for anyone else, because a real person's interview must not see more than the person does.
   */
  public static RunMode resolve(RunMode declared, String runningUserId) {
    requireNonNull(declared, "declared is null");
    requireNonNull(runningUserId, "runningUserId is null");
    if (declared != RunMode.DEFAULT) {
      return declared;
    }
    return SystemUsers.AUTOMATED_PROCESS_USER_ID.equals(runningUserId)
        ? RunMode.SYSTEM_WITHOUT_SHARING
        : RunMode.USER;
  }
}

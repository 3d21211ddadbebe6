package io.orchestrion.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.flow.RunMode;

/**
 * The running user of an interview and its effective run mode (SPEC §7). It is passed as a value to
 * everything that touches data, never kept in a static or a thread-local.
 *
 * @param userId the id of the running user
 * @param effectiveMode the resolved run mode; never {@link RunMode#DEFAULT} (resolve it with {@link
 *     RunModes#resolve} first)
 */
public record SecurityContext(String userId, RunMode effectiveMode) {
  public SecurityContext {
    requireNonNull(userId, "userId is null");
    requireNonNull(effectiveMode, "effectiveMode is null");
    if (userId.isBlank()) {
      throw new IllegalArgumentException("userId is blank");
    }
    if (effectiveMode == RunMode.DEFAULT) {
      throw new IllegalArgumentException(
          "effectiveMode must be resolved, not DEFAULT (user '" + userId + "')");
    }
  }

  /** A context for {@code userId} running a flow declared with {@code declaredMode}. */
  public static SecurityContext of(String userId, RunMode declaredMode) {
    return new SecurityContext(userId, RunModes.resolve(declaredMode, userId));
  }

  public boolean isAutomatedProcess() {
    return SystemUsers.AUTOMATED_PROCESS_USER_ID.equals(userId);
  }
}

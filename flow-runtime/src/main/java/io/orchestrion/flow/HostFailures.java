package io.orchestrion.flow;

import io.orchestrion.api.ErrorType;
import io.orchestrion.api.OrchestrionException;
import java.sql.SQLException;

/**
 * Tells failures of the host (its database, an internal error) from failures of the flow. A host
 * failure is never a flow fault: no fault connector handles it and it does not become a step error;
 * it propagates out of the interpreter and out of the transaction, which is then rolled back and
 * retried as a whole (on PostgreSQL a failed statement also leaves the transaction unusable, so
 * nothing may go on in it).
 */
public final class HostFailures {
  private HostFailures() {}

  /**
   * Whether {@code failure} is a failure of the host: an {@link SQLException} anywhere in its
   * causes, or an {@link OrchestrionException} of type {@link ErrorType#INTERNAL_ERROR}.
   */
  public static boolean isHostFailure(Throwable failure) {
    int depth = 0;
    for (Throwable cause = failure; cause != null && depth < 32; cause = cause.getCause()) {
      if (cause instanceof SQLException) {
        return true;
      }
      if (cause instanceof OrchestrionException orchestrion
          && orchestrion.getErrorCode().type() == ErrorType.INTERNAL_ERROR) {
        return true;
      }
      depth++;
    }
    return false;
  }
}

package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

/**
 * The server sheds a request: the pool that would run it has no free thread and no free place in
 * its queue. The failure handler answers 429 with {@code Retry-After} (SPEC §12).
 */
public final class ServerBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int retryAfterSeconds;

  public ServerBusyException(String message, int retryAfterSeconds) {
    super(requireNonNull(message, "message is null"), null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}

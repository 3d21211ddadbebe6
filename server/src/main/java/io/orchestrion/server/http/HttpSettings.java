package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

/** What the HTTP layer needs of the server configuration. */
public record HttpSettings(String host, int port, long maxBodyBytes) {
  public HttpSettings {
    requireNonNull(host, "host is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
    }
  }
}

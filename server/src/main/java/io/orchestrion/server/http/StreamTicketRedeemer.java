package io.orchestrion.server.http;

import java.util.Optional;

/** Finds the user of a valid (existing, unexpired) event stream ticket. */
@FunctionalInterface
public interface StreamTicketRedeemer {
  Optional<String> redeem(String ticket);
}

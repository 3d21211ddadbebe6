package io.orchestrion.engine.queue;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** The lease a job row carries: the node that holds it, the fencing token, and until when. */
public record JobLease(String owner, String token, Instant until) {
  public JobLease {
    requireNonNull(owner, "owner is null");
    requireNonNull(token, "token is null");
    requireNonNull(until, "until is null");
  }
}

package io.orchestrion.engine.queue;

import static java.util.Objects.requireNonNull;

/**
 * A leased job that a unit of work ends: its row is deleted with the unit's writes, and only while
 * it still carries {@code leaseToken} (the job is <i>fenced</i>): a node whose lease expired and
 * was taken over, or whose job was removed meanwhile, deletes nothing and its unit of work must not
 * commit ({@link LeaseLost}).
 */
public record EndedJob(String id, String leaseToken) {
  public EndedJob {
    requireNonNull(id, "id is null");
    requireNonNull(leaseToken, "leaseToken is null");
  }

  /** The failure of this job's fenced delete. */
  public LeaseLost lost() {
    return new LeaseLost(id);
  }
}

package io.orchestrion.engine.queue;

/**
 * The fenced delete of an {@link EndedJob} found no row: this node no longer holds the job's lease
 * (it expired and another node took the job, or the job was removed). The unit of work that ends
 * the job must roll back; the node that holds the lease now does the job's work.
 */
public final class LeaseLost extends RuntimeException {
  private final String jobId;

  LeaseLost(String jobId) {
    super("job " + jobId + " is no longer leased by this node", null, false, false);
    this.jobId = jobId;
  }

  public String jobId() {
    return jobId;
  }
}

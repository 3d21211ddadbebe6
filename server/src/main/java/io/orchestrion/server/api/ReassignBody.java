package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

/** The body of {@code POST /work-items/{id}/reassign}. */
public record ReassignBody(String assigneeType, String assigneeId) {
  public ReassignBody {
    requireNonNull(assigneeType, "assigneeType is null");
    requireNonNull(assigneeId, "assigneeId is null");
  }
}

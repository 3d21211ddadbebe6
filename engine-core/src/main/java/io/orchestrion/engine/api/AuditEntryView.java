package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One action on a submission (SPEC §3.1): SUBMIT, REVIEW, REASSIGN, ESCALATE, RECALL, CANCEL,
 * SUSPEND, RESUME or RETRY, who did it in which role (SUBMITTER, ASSIGNEE, ADMIN, SYSTEM), through
 * which channel (API, CONSOLE, SYSTEM), with their comments.
 */
public record AuditEntryView(
    String action,
    String performerId,
    String performerRole,
    String channel,
    Optional<String> comments,
    Instant at) {
  public AuditEntryView {
    requireNonNull(action, "action is null");
    requireNonNull(performerId, "performerId is null");
    requireNonNull(performerRole, "performerRole is null");
    requireNonNull(channel, "channel is null");
    requireNonNull(comments, "comments is null");
    requireNonNull(at, "at is null");
  }
}

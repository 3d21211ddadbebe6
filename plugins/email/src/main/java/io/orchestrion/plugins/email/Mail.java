package io.orchestrion.plugins.email;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One message to send: its recipients (each with an address), subject and body, and the id of the
 * event it is about (sent as the header {@value #EVENT_HEADER}, so that a receiver can drop a copy
 * sent again after a retry).
 */
record Mail(List<Recipient> to, String subject, String body, String eventId) {
  static final String EVENT_HEADER = "X-Orchestrion-Event-Id";

  Mail {
    to = List.copyOf(to);
    if (to.isEmpty()) {
      throw new IllegalArgumentException("a mail needs a recipient");
    }
    requireNonNull(subject, "subject is null");
    requireNonNull(body, "body is null");
    requireNonNull(eventId, "eventId is null");
  }

  /** A user with an e-mail address. */
  record Recipient(String userId, String displayName, String email) {
    Recipient {
      requireNonNull(userId, "userId is null");
      requireNonNull(displayName, "displayName is null");
      requireNonNull(email, "email is null");
    }
  }
}

package io.orchestrion.plugins.email;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.EventKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mails the plugin sends, one per event kind, each with a plain-text subject and body in which
 * {@code {placeholder}}s are replaced (see the module's README for the list). The texts below are
 * the defaults; {@code plugins.email.templates.<name>.subject|body} replace them.
 */
enum MailTemplate {
  WORK_ITEM_ASSIGNED(
      "assigned",
      EventKind.WORK_ITEM_CREATED,
      "Approval needed: {objectType} {headline}",
      """
      Hello {recipient},

      {submitter} submitted {objectType} {headline} and step {step} ({stage}) needs your approval \
      ({assignee}). Due: {dueAt}.

      {summary}

      Open your inbox to approve or reject: {inboxLink}
      The submission: {submissionLink}
      """),
  WORK_ITEM_REMINDER(
      "reminder",
      EventKind.WORK_ITEM_REMINDED,
      "Reminder: approval still needed for {objectType} {headline}",
      """
      Hello {recipient},

      Step {step} ({stage}) of {objectType} {headline}, submitted by {submitter}, still waits for \
      a decision ({assignee}). Due: {dueAt}.

      {summary}

      Open your inbox to approve or reject: {inboxLink}
      The submission: {submissionLink}
      """),
  WORK_ITEM_ESCALATED(
      "escalated",
      EventKind.WORK_ITEM_ESCALATED,
      "Escalated to you: {objectType} {headline}",
      """
      Hello {recipient},

      Step {step} ({stage}) of {objectType} {headline}, submitted by {submitter}, was not decided \
      in time by {fromAssignee} and has been escalated to you ({assignee}).

      {summary}

      Open your inbox to approve or reject: {inboxLink}
      The submission: {submissionLink}
      """),
  WORK_ITEM_REASSIGNED(
      "reassigned",
      EventKind.WORK_ITEM_REASSIGNED,
      "Approval needed (reassigned to you): {objectType} {headline}",
      """
      Hello {recipient},

      Step {step} ({stage}) of {objectType} {headline}, submitted by {submitter}, was reassigned \
      from {fromAssignee} to you ({assignee}) by {actor}.

      {summary}

      Open your inbox to approve or reject: {inboxLink}
      The submission: {submissionLink}
      """),
  WORK_ITEM_DECIDED(
      "decided",
      EventKind.WORK_ITEM_DECIDED,
      "{actor} {decision} step {step} of your {objectType} {headline}",
      """
      Hello {recipient},

      {actor} {decision} step {step} ({stage}) of your {objectType} {headline}.
      Comments: {comments}

      {summary}

      Follow your submission: {submissionLink}
      """),
  SUBMISSION_APPROVED(
      "approved",
      EventKind.RUN_COMPLETED,
      "Approved: your {objectType} {headline}",
      """
      Hello {recipient},

      Your {objectType} {headline} has been approved.

      {summary}

      The submission: {submissionLink}
      """),
  SUBMISSION_REJECTED(
      "rejected",
      EventKind.RUN_REJECTED,
      "Rejected: your {objectType} {headline}",
      """
      Hello {recipient},

      Your {objectType} {headline} has been rejected.

      {summary}

      The submission: {submissionLink}
      """);

  /** Every placeholder a template may use. */
  static final List<String> PLACEHOLDERS =
      List.of(
          "recipient",
          "objectType",
          "recordId",
          "headline",
          "summary",
          "submissionId",
          "submitter",
          "stage",
          "step",
          "assignee",
          "fromAssignee",
          "dueAt",
          "rung",
          "actor",
          "decision",
          "comments",
          "inboxLink",
          "submissionLink");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

  private final String templateName;
  private final EventKind kind;
  private final Text defaultText;

  MailTemplate(String templateName, EventKind kind, String subject, String body) {
    this.templateName = templateName;
    this.kind = kind;
    this.defaultText = new Text(subject, body);
  }

  /** A subject line and a body with placeholders. */
  record Text(String subject, String body) {
    Text {
      requireNonNull(subject, "subject is null");
      requireNonNull(body, "body is null");
    }
  }

  /** The name in settings: {@code templates.<name>.subject}. */
  String templateName() {
    return templateName;
  }

  EventKind kind() {
    return kind;
  }

  Text defaultText() {
    return defaultText;
  }

  static Optional<MailTemplate> named(String name) {
    return Arrays.stream(values()).filter(t -> t.templateName.equals(name)).findFirst();
  }

  static Optional<MailTemplate> of(EventKind kind) {
    return Arrays.stream(values()).filter(t -> t.kind == kind).findFirst();
  }

  static List<String> names() {
    return Arrays.stream(values()).map(MailTemplate::templateName).toList();
  }

  /** The placeholders of {@code text} that {@link #PLACEHOLDERS} does not list. */
  static Set<String> unknownPlaceholders(String text) {
    Set<String> unknown = new LinkedHashSet<>();
    Matcher matcher = PLACEHOLDER.matcher(text);
    while (matcher.find()) {
      if (!PLACEHOLDERS.contains(matcher.group(1))) {
        unknown.add(matcher.group(1));
      }
    }
    return unknown;
  }

  /**
   * {@code text} with every known placeholder replaced by its value ({@code values} must hold them
   * all); other braces stay as they are. Values are inserted as they are, never re-expanded.
   */
  static String render(String text, Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    List<String> missing = new ArrayList<>();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        if (PLACEHOLDERS.contains(matcher.group(1))) {
          missing.add(matcher.group(1));
        }
        value = matcher.group();
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    if (!missing.isEmpty()) {
      throw new IllegalStateException("no value for placeholders " + missing);
    }
    return out.toString();
  }
}

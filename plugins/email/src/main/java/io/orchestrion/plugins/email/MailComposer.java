package io.orchestrion.plugins.email;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.spi.directory.User;
import io.orchestrion.spi.notification.Notification;
import io.orchestrion.spi.notification.NotificationContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a notification into the mail its template describes: who receives it (the assignee's users
 * for work item events, the submitter for decisions and outcomes; users without an e-mail address
 * are skipped and logged) and the placeholders' values.
 */
final class MailComposer {
  private static final System.Logger log = System.getLogger(MailComposer.class.getName());

  /** Event kinds whose mail goes to the work item's assignee; the others go to the submitter. */
  private static final Set<EventKind> TO_ASSIGNEE =
      Set.of(
          EventKind.WORK_ITEM_CREATED,
          EventKind.WORK_ITEM_REASSIGNED,
          EventKind.WORK_ITEM_REMINDED,
          EventKind.WORK_ITEM_ESCALATED);

  private final EmailSettings settings;

  MailComposer(EmailSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
  }

  /** The mail for this notification; empty when it has no template or nobody to go to. */
  Optional<Mail> compose(Notification notification, NotificationContext context) {
    OrchestrationEvent event = notification.event();
    Optional<MailTemplate> template = MailTemplate.of(event.kind());
    if (template.isEmpty()) {
      return Optional.empty();
    }
    List<Mail.Recipient> recipients = recipients(notification, context);
    if (recipients.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> values = values(notification, context, recipients);
    MailTemplate.Text text = settings.templates().get(template.get());
    String subject = MailTemplate.render(text.subject(), values).replaceAll("[\\r\\n]+", " ");
    String body = MailTemplate.render(text.body(), values);
    return Optional.of(new Mail(recipients, subject.strip(), body, event.eventId()));
  }

  private static List<Mail.Recipient> recipients(
      Notification notification, NotificationContext context) {
    OrchestrationEvent event = notification.event();
    List<User> users;
    if (TO_ASSIGNEE.contains(event.kind())) {
      Optional<String> type = text(event.payload(), "assigneeType");
      Optional<String> id = text(event.payload(), "assigneeId");
      users =
          type.isPresent() && id.isPresent()
              ? context.assigneeUsers(type.get(), id.get())
              : List.of();
    } else {
      users =
          notification.submitterId().flatMap(context::user).filter(User::active).stream().toList();
    }
    List<Mail.Recipient> recipients = new ArrayList<>();
    for (User user : users) {
      Optional<String> email = user.email().map(String::strip).filter(value -> !value.isEmpty());
      if (email.isEmpty()) {
        log.log(
            System.Logger.Level.INFO,
            "User ''{0}'' has no e-mail address: no mail about event {1} ({2})",
            user.id(),
            event.eventId(),
            event.kind());
        continue;
      }
      recipients.add(new Mail.Recipient(user.id(), user.displayName(), email.get()));
    }
    return recipients;
  }

  private Map<String, String> values(
      Notification notification, NotificationContext context, List<Mail.Recipient> recipients) {
    OrchestrationEvent event = notification.event();
    Map<String, Object> payload = event.payload();
    Map<String, String> values = new LinkedHashMap<>();
    values.put(
        "recipient",
        recipients.size() == 1
            ? recipients.get(0).displayName()
            : "members of " + assignee(context, payload, "assigneeType", "assigneeId"));
    values.put("objectType", event.objectType());
    values.put("recordId", event.recordId());
    values.put("headline", headline(notification));
    values.put("summary", summary(notification));
    values.put("submissionId", event.submissionId());
    values.put(
        "submitter", notification.submitterId().map(id -> name(context, id)).orElse("Someone"));
    values.put("stage", event.stage().orElse("-"));
    values.put("step", event.step().orElse("-"));
    values.put("assignee", assignee(context, payload, "assigneeType", "assigneeId"));
    values.put("fromAssignee", assignee(context, payload, "fromAssigneeType", "fromAssigneeId"));
    values.put("dueAt", text(payload, "dueAt").orElse("none"));
    values.put("rung", Optional.ofNullable(payload.get("rung")).map(String::valueOf).orElse("-"));
    values.put("actor", actor(event, context));
    values.put("decision", decision(payload));
    values.put("comments", text(payload, "comments").filter(c -> !c.isBlank()).orElse("(none)"));
    values.put("inboxLink", settings.consoleUrl() + "/console/#/inbox");
    values.put(
        "submissionLink",
        settings.consoleUrl()
            + "/console/#/submissions/"
            + URLEncoder.encode(event.submissionId(), StandardCharsets.UTF_8));
    return values;
  }

  /**
   * Who acted: the actor's name, "X on behalf of Y" for a delegate's decision, "Orchestrion" when
   * the engine acted on its own (a timer, an escalation rung).
   */
  private static String actor(OrchestrationEvent event, NotificationContext context) {
    String actor = event.actorId().map(id -> name(context, id)).orElse("Orchestrion");
    return text(event.payload(), "onBehalfOf")
        .map(user -> actor + " on behalf of " + name(context, user))
        .orElse(actor);
  }

  /** The first text field of the summary in quotes, else the record's id. */
  private static String headline(Notification notification) {
    for (Object value : notification.recordSummary().values()) {
      if (value instanceof String text && !text.isBlank()) {
        return "\"" + text.strip() + "\"";
      }
    }
    return notification.event().recordId();
  }

  private static String summary(Notification notification) {
    if (notification.recordSummary().isEmpty()) {
      return notification.event().objectType() + " " + notification.event().recordId();
    }
    StringBuilder lines = new StringBuilder();
    notification
        .recordSummary()
        .forEach(
            (field, value) -> {
              if (!lines.isEmpty()) {
                lines.append('\n');
              }
              lines.append(field).append(": ").append(value == null ? "-" : value);
            });
    return lines.toString();
  }

  private static String decision(Map<String, Object> payload) {
    return switch (text(payload, "decision").orElse("")) {
      case "APPROVE" -> "approved";
      case "REJECT" -> "rejected";
      default -> text(payload, "status").map(s -> s.toLowerCase(java.util.Locale.ROOT)).orElse("-");
    };
  }

  private static String assignee(
      NotificationContext context, Map<String, Object> payload, String typeKey, String idKey) {
    Optional<String> type = text(payload, typeKey);
    Optional<String> id = text(payload, idKey);
    if (type.isEmpty() || id.isEmpty()) {
      return "-";
    }
    return switch (type.get()) {
      case "USER" -> name(context, id.get());
      case "GROUP" -> "group " + id.get();
      case "QUEUE" -> "queue " + id.get();
      default -> type.get().toLowerCase(java.util.Locale.ROOT) + " " + id.get();
    };
  }

  private static String name(NotificationContext context, String userId) {
    return context.user(userId).map(User::displayName).orElse(userId);
  }

  private static Optional<String> text(Map<String, Object> payload, String key) {
    return Optional.ofNullable(payload.get(key)).map(String::valueOf);
  }
}

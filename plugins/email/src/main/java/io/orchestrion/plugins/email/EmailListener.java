package io.orchestrion.plugins.email;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.spi.notification.Notification;
import io.orchestrion.spi.notification.NotificationContext;
import io.orchestrion.spi.notification.NotificationListener;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The plugin's notification listener, {@value #ID}: composes the mail of each event ({@link
 * MailComposer}) and sends it ({@link SmtpMailer}); a failure to send is thrown, so the engine
 * retries the event later. An event with nobody to tell is done at once.
 */
final class EmailListener implements NotificationListener {
  static final String ID = "email";
  static final Set<EventKind> KINDS =
      Arrays.stream(MailTemplate.values())
          .map(MailTemplate::kind)
          .collect(Collectors.toUnmodifiableSet());

  private final MailComposer composer;
  private final SmtpMailer mailer;

  EmailListener(MailComposer composer, SmtpMailer mailer) {
    this.composer = requireNonNull(composer, "composer is null");
    this.mailer = requireNonNull(mailer, "mailer is null");
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<EventKind> kinds() {
    return KINDS;
  }

  @Override
  public void deliver(Notification notification, NotificationContext context)
      throws MailDeliveryException {
    Optional<Mail> mail = composer.compose(notification, context);
    if (mail.isPresent()) {
      mailer.send(mail.get());
    }
  }
}

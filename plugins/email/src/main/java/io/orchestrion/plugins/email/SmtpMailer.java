package io.orchestrion.plugins.email;

import static java.util.Objects.requireNonNull;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Sends one {@link Mail} over SMTP with Jakarta Mail (Eclipse Angus): one connection per mail, with
 * the configured connect, read and write time-outs, STARTTLS when configured (then required), and
 * authentication with the user name and the password secret when configured. A failure is thrown as
 * a {@link MailDeliveryException} whose message names the server and never contains the password.
 */
final class SmtpMailer {
  private final EmailSettings settings;
  private final Session session;
  private final Clock clock;

  SmtpMailer(EmailSettings settings, Clock clock) {
    this.settings = requireNonNull(settings, "settings is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.session = Session.getInstance(properties(settings));
  }

  static Properties properties(EmailSettings settings) {
    Properties properties = new Properties();
    String millis = Long.toString(settings.timeout().toMillis());
    properties.setProperty("mail.transport.protocol", "smtp");
    properties.setProperty("mail.smtp.host", settings.host());
    properties.setProperty("mail.smtp.port", Integer.toString(settings.port()));
    properties.setProperty("mail.smtp.connectiontimeout", millis);
    properties.setProperty("mail.smtp.timeout", millis);
    properties.setProperty("mail.smtp.writetimeout", millis);
    properties.setProperty("mail.smtp.auth", Boolean.toString(settings.username().isPresent()));
    if (settings.startTls()) {
      properties.setProperty("mail.smtp.starttls.enable", "true");
      properties.setProperty("mail.smtp.starttls.required", "true");
    }
    properties.setProperty("mail.smtp.from", settings.from());
    return properties;
  }

  void send(Mail mail) throws MailDeliveryException {
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress(settings.from()));
      List<InternetAddress> to = new ArrayList<>();
      for (Mail.Recipient recipient : mail.to()) {
        to.add(new InternetAddress(recipient.email(), recipient.displayName(), "UTF-8"));
      }
      message.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
      message.setSubject(mail.subject(), "UTF-8");
      message.setText(mail.body(), "UTF-8");
      message.setHeader(Mail.EVENT_HEADER, mail.eventId());
      message.setSentDate(Date.from(clock.instant()));
      message.saveChanges();
      try (Transport transport = session.getTransport("smtp")) {
        if (settings.username().isPresent()) {
          transport.connect(
              settings.host(),
              settings.port(),
              settings.username().get(),
              settings.password().orElseThrow().reveal());
        } else {
          transport.connect();
        }
        transport.sendMessage(message, message.getAllRecipients());
      }
    } catch (MessagingException | UnsupportedEncodingException | RuntimeException e) {
      throw new MailDeliveryException(
          "Sending mail about event %s to %d recipient(s) through %s failed: %s"
              .formatted(mail.eventId(), mail.to().size(), settings.server(), describe(e)),
          settings);
    }
  }

  /** The failure and its causes, without the password should a server echo it. */
  private String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable cause = e; cause != null && text.length() < 1000; cause = cause.getCause()) {
      if (!text.isEmpty()) {
        text.append(" <- ");
      }
      text.append(cause.getClass().getSimpleName());
      if (cause.getMessage() != null) {
        text.append(": ").append(cause.getMessage().strip());
      }
    }
    return MailDeliveryException.redact(text.toString(), settings);
  }
}

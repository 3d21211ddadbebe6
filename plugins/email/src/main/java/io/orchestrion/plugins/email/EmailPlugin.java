package io.orchestrion.plugins.email;

import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.notification.NotificationListener;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The plugin's entry point: with {@code plugins.email.smtp.host} set, one notification listener
 * ({@code email}) that mails approvers and submitters; without it, nothing (so the plugin can ship
 * in every server and stay silent until configured).
 */
public final class EmailPlugin implements Plugin {
  public static final String ID = "email";

  private volatile Optional<EmailSettings> settings = Optional.empty();

  /** Called by {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
  public EmailPlugin() {}

  @Override
  public String id() {
    return ID;
  }

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException listing every invalid or missing setting (never a secret's
   *     value)
   */
  @Override
  public void configure(PluginContext context) {
    settings = EmailSettings.parse(context);
  }

  @Override
  public List<NotificationListener> getNotificationListeners() {
    return settings
        .<NotificationListener>map(
            value ->
                new EmailListener(
                    new MailComposer(value), new SmtpMailer(value, Clock.systemUTC())))
        .stream()
        .toList();
  }
}

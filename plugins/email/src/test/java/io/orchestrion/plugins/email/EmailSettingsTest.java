package io.orchestrion.plugins.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.Secret;
import io.orchestrion.spi.testing.PluginContract;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmailSettingsTest {
  @Test
  void withoutSettingsThePluginSendsNothing() {
    EmailPlugin plugin = new EmailPlugin();
    plugin.configure(PluginContext.empty("email"));
    assertThat(plugin.getNotificationListeners()).isEmpty();
  }

  @Test
  void configuredThePluginKeepsThePluginContract() {
    PluginContext context =
        new PluginContext(
            "email",
            Map.of(
                "smtp.host", "mail.example.com",
                "from", "approvals@example.com",
                "console.url", "https://orchestrion.example.com"),
            Map.of());
    assertThat(PluginContract.violations(new EmailPlugin(), context)).isEmpty();
    EmailPlugin plugin = new EmailPlugin();
    plugin.configure(context);
    assertThat(plugin.getNotificationListeners()).extracting(l -> l.id()).containsExactly("email");
  }

  @Test
  void readsEverySetting() {
    EmailSettings settings =
        EmailSettings.parse(
                new PluginContext(
                    "email",
                    Map.of(
                        "smtp.host", "mail.example.com",
                        "smtp.port", "587",
                        "smtp.starttls", "true",
                        "smtp.username", "orchestrion",
                        "smtp.timeout", "PT5S",
                        "from", "approvals@example.com",
                        "console.url", "https://orchestrion.example.com/",
                        "templates.approved.subject", "Done: {headline}"),
                    Map.of("smtp.password", Secret.of("smtp.password", "hunter2-secret"))))
            .orElseThrow();

    assertThat(settings.server()).isEqualTo("mail.example.com:587");
    assertThat(settings.startTls()).isTrue();
    assertThat(settings.username()).contains("orchestrion");
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.consoleUrl()).isEqualTo("https://orchestrion.example.com");
    assertThat(settings.templates().get(MailTemplate.SUBMISSION_APPROVED).subject())
        .isEqualTo("Done: {headline}");
    assertThat(settings.templates().get(MailTemplate.SUBMISSION_APPROVED).body())
        .isEqualTo(MailTemplate.SUBMISSION_APPROVED.defaultText().body());
    assertThat(settings.toString()).doesNotContain("hunter2-secret").contains("password=****");
    assertThat(SmtpMailer.properties(settings))
        .containsEntry("mail.smtp.starttls.required", "true")
        .containsEntry("mail.smtp.auth", "true")
        .containsEntry("mail.smtp.connectiontimeout", "5000")
        .containsEntry("mail.smtp.timeout", "5000")
        .containsEntry("mail.smtp.writetimeout", "5000");
  }

  @Test
  void reportsEveryProblemNamingItsSettingAndNeverTheSecret() {
    assertThatThrownBy(
            () ->
                EmailSettings.parse(
                    new PluginContext(
                        "email",
                        Map.of(
                            "smtp.host", "mail.example.com",
                            "smtp.port", "99999",
                            "smtp.starttls", "maybe",
                            "smtp.timeout", "10 seconds",
                            "from", "approvals",
                            "sender", "x",
                            "templates.assigned.body", "Hi {name}",
                            "templates.nope.subject", "x"),
                        Map.of("smtp.password", Secret.of("smtp.password", "hunter2-secret")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plugins.email.smtp.port: '99999' is not a port")
        .hasMessageContaining("plugins.email.smtp.starttls: 'maybe' is not true or false")
        .hasMessageContaining("plugins.email.smtp.timeout: '10 seconds' is not an ISO-8601")
        .hasMessageContaining("plugins.email.from: 'approvals' is not an e-mail address")
        .hasMessageContaining("plugins.email.sender: is not a setting of this plugin")
        .hasMessageContaining("'plugins.email.smtp.username' (environment")
        .hasMessageContaining("'plugins.email.console.url' (environment")
        .hasMessageContaining("unknown placeholder {name}")
        .hasMessageContaining("plugins.email.templates.nope: is not a template")
        .message()
        .doesNotContain("hunter2-secret");
  }

  @Test
  void aSettingWithoutTheHostIsAnError() {
    assertThatThrownBy(
            () ->
                EmailSettings.parse(
                    new PluginContext("email", Map.of("from", "a@example.com"), Map.of())))
        .hasMessageContaining(
            "'plugins.email.smtp.host' (environment ORCHESTRION_PLUGINS_EMAIL_SMTP_HOST) is"
                + " missing");
  }
}

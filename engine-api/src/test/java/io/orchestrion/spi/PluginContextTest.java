package io.orchestrion.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginContextTest {
  private final PluginContext context =
      new PluginContext(
          "http-callout",
          Map.of(
              "allow", "http://127.0.0.1:",
              "endpoints.crm.url", "http://127.0.0.1/crm",
              "endpoints.crm.method", "POST",
              "endpoints.billing.url", "http://127.0.0.1/billing"),
          Map.of("crm.token", Secret.of("crm.token", "s3cr3t-value")));

  @Test
  void readsSettingsAndSecrets() {
    assertThat(context.setting("endpoints.crm.method")).contains("POST");
    assertThat(context.setting("endpoints.crm.timeout")).isEmpty();
    assertThat(context.requireSetting("allow")).isEqualTo("http://127.0.0.1:");
    assertThat(context.secret("crm.token").orElseThrow().reveal()).isEqualTo("s3cr3t-value");
    assertThat(context.secret("other")).isEmpty();
    assertThat(context.settings().keySet())
        .containsExactly(
            "allow", "endpoints.billing.url", "endpoints.crm.method", "endpoints.crm.url");
  }

  @Test
  void listsTheNamesUnderAPrefix() {
    assertThat(context.names("endpoints")).containsExactly("billing", "crm");
    assertThat(context.names("endpoints.crm")).containsExactly("method", "url");
    assertThat(context.names("nothing")).isEmpty();
  }

  @Test
  void aMissingSettingOrSecretIsNamedInBothSpellings() {
    assertThatThrownBy(() -> context.requireSetting("endpoints.crm.timeout"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Setting 'plugins.http-callout.endpoints.crm.timeout' (environment"
                + " ORCHESTRION_PLUGINS_HTTP_CALLOUT_ENDPOINTS_CRM_TIMEOUT) is missing");
    assertThatThrownBy(() -> context.requireSecret("billing.token"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'plugins.http-callout.secrets.billing.token'")
        .hasMessageContaining("ORCHESTRION_PLUGINS_HTTP_CALLOUT_SECRETS_BILLING_TOKEN");
  }

  @Test
  void keysAreLowerCaseWordsSeparatedByDots() {
    assertThatThrownBy(() -> new PluginContext("p", Map.of("baseUrl", "x"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid setting key 'baseUrl' for plugin 'p'");
    assertThatThrownBy(() -> new PluginContext("p", Map.of("a..b", "x"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new PluginContext("p", Map.of(), Map.of("My-Token", Secret.of("t", "v"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid secret name 'My-Token'")
        .hasMessageNotContaining("v)");
  }

  @Test
  void environmentNamesAreUpperCaseWithUnderscores() {
    assertThat(PluginContext.environmentVariable("http-callout", "endpoints.crm.url"))
        .isEqualTo("ORCHESTRION_PLUGINS_HTTP_CALLOUT_ENDPOINTS_CRM_URL");
    assertThat(PluginContext.environmentVariable("mail.send", "secrets.smtp"))
        .isEqualTo("ORCHESTRION_PLUGINS_MAIL_SEND_SECRETS_SMTP");
  }
}

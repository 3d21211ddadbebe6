package io.orchestrion.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTest {
  private static final String VALUE = "tok-7d1f-very-secret";

  @Test
  void revealsItsValueOnlyWhenAsked() {
    Secret secret = Secret.of("crm.token", VALUE);

    assertThat(secret.reveal()).isEqualTo(VALUE);
    assertThat(secret.name()).isEqualTo("crm.token");
  }

  @Test
  void printsItsNameButNeverItsValue() {
    Secret secret = Secret.of("crm.token", VALUE);

    assertThat(secret.toString()).isEqualTo("Secret[crm.token=****]");
    assertThat("header " + secret).doesNotContain(VALUE);
    assertThat(String.valueOf(List.of(secret))).doesNotContain(VALUE);
    assertThat(Map.of("token", secret).toString()).doesNotContain(VALUE);
    assertThat(String.format("%s", secret)).doesNotContain(VALUE);
    assertThat(new IllegalStateException("failed with " + secret).getMessage())
        .doesNotContain(VALUE)
        .contains("crm.token");
  }

  @Test
  void aContextPrintsSecretNamesButNoValues() {
    PluginContext context =
        new PluginContext(
            "http-callout",
            Map.of("endpoints.crm.url", "http://127.0.0.1/crm"),
            Map.of("crm.token", Secret.of("crm.token", VALUE)));

    assertThat(context.toString())
        .contains("crm.token", "endpoints.crm.url", "http://127.0.0.1/crm")
        .doesNotContain(VALUE);
    assertThat(context.secrets().toString()).doesNotContain(VALUE);
  }
}

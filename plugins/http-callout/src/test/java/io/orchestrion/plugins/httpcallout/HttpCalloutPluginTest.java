package io.orchestrion.plugins.httpcallout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.object.DataType;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionParameter;
import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.testing.PluginContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpCalloutPluginTest {
  @Test
  void serviceLoaderFindsThePluginWhichHasNoActionsWithoutSettings() {
    Plugin plugin = PluginContract.assertOnClassPath("http-callout");

    assertThat(plugin).isInstanceOf(HttpCalloutPlugin.class);
    assertThat(plugin.getActionFactories()).isEmpty();
    assertThat(plugin.getConditionTypeFactories()).isEmpty();
  }

  @Test
  void oneActionPerEndpointEachWithExternalSideEffects() {
    HttpCalloutPlugin plugin = new HttpCalloutPlugin();
    plugin.configure(
        new PluginContext(
            "http-callout",
            Map.of(
                "allow", "https://crm.example.com/",
                "endpoints.crm.url", "https://crm.example.com/score",
                "endpoints.crm.inputs", "customerId:TEXT",
                "endpoints.crm.outputs", "score:NUMBER=/score",
                "endpoints.billing.url", "https://crm.example.com/billing",
                "endpoints.billing.description", "Bills the customer"),
            Map.of()));

    List<ActionDescriptor> descriptors =
        plugin.getActionFactories().stream().map(factory -> factory.descriptor()).toList();

    assertThat(descriptors)
        .extracting(ActionDescriptor::id)
        .containsExactly("http.billing", "http.crm");
    // The engine commits before the call and makes it with no transaction open (SPEC §9).
    assertThat(descriptors).allMatch(ActionDescriptor::externalSideEffects);
    assertThat(descriptors.get(0).description()).isEqualTo("Bills the customer");
    assertThat(descriptors.get(1).inputs())
        .containsExactly(ActionParameter.required("customerId", DataType.TEXT));
    assertThat(descriptors.get(1).outputs())
        .containsExactly(ActionParameter.required("score", DataType.NUMBER));
    assertThat(PluginContract.violations(plugin)).isEmpty();
  }

  @Test
  void followsThePluginContractWhenConfiguredAsTheHostDoes() {
    PluginContext settings =
        new PluginContext(
            "http-callout",
            Map.of(
                "allow", "https://crm.example.com/",
                "endpoints.crm.url", "https://crm.example.com/score",
                "endpoints.crm.header.1", "Authorization: ${crm.token}"),
            Map.of("crm.token", io.orchestrion.spi.Secret.of("crm.token", "Bearer t0k3n")));

    PluginContract.assertValid(new HttpCalloutPlugin(), settings);
    // A refusal names the setting and never the secret's value (checked by the contract too).
    PluginContext outsideTheAllowList =
        new PluginContext(
            "http-callout",
            Map.of(
                "allow", "https://crm.example.com/",
                "endpoints.crm.url", "https://evil.example.org/",
                "endpoints.crm.header.1", "Authorization: ${crm.token}"),
            settings.secrets());
    assertThat(PluginContract.violations(new HttpCalloutPlugin(), outsideTheAllowList))
        .singleElement()
        .asString()
        .contains("configure(...) refused the settings", "endpoints.crm.url")
        .doesNotContain("t0k3n");
  }

  @Test
  void invalidSettingsFailTheConfiguration() {
    assertThatThrownBy(
            () ->
                new HttpCalloutPlugin()
                    .configure(
                        new PluginContext(
                            "http-callout", Map.of("endpoint.crm.url", "x"), Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plugins.http-callout.endpoint.crm.url: is not a setting");
  }
}

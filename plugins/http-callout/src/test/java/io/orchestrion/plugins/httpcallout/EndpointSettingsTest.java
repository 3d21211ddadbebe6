package io.orchestrion.plugins.httpcallout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.object.DataType;
import io.orchestrion.spi.ActionParameter;
import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointSettingsTest {
  private static final String TOKEN = "tok-0f3a-never-in-messages";

  private static PluginContext context(Map<String, String> settings) {
    return new PluginContext(
        "http-callout", settings, Map.of("crm.token", Secret.of("crm.token", TOKEN)));
  }

  @Test
  void readsAnEndpointWithDefaults() {
    var endpoints =
        EndpointSettings.parse(
            context(
                Map.of(
                    "allow", "https://crm.example.com/api, http://127.0.0.1:8089",
                    "endpoints.crm.url", "https://crm.example.com/api/score",
                    "endpoints.crm.inputs", "customerId:TEXT, amount:CURRENCY, tags:TEXT[]?",
                    "endpoints.crm.outputs", "score:NUMBER=/result/score, tier:TEXT?=/tier",
                    "endpoints.crm.header.1", "Authorization: Bearer ${crm.token}")));

    assertThat(endpoints).hasSize(1);
    Endpoint crm = endpoints.getFirst();
    assertThat(crm.actionId()).isEqualTo("http.crm");
    assertThat(crm.method()).isEqualTo("POST");
    assertThat(crm.url()).isEqualTo(URI.create("https://crm.example.com/api/score"));
    assertThat(crm.inputs())
        .containsExactly(
            ActionParameter.required("customerId", DataType.TEXT),
            ActionParameter.required("amount", DataType.CURRENCY),
            new ActionParameter("tags", DataType.TEXT, true, false));
    assertThat(crm.outputs())
        .extracting(output -> output.parameter().name() + "@" + output.pointer())
        .containsExactly("score@/result/score", "tier@/tier");
    assertThat(crm.outputs().get(1).parameter().required()).isFalse();
    assertThat(crm.timeout()).isEqualTo(EndpointSettings.DEFAULT_TIMEOUT);
    assertThat(crm.retries()).isEqualTo(EndpointSettings.DEFAULT_RETRIES);
    assertThat(crm.headers().getFirst().render()).isEqualTo("Bearer " + TOKEN);
    assertThat(crm.toString()).contains("${crm.token}").doesNotContain(TOKEN);
  }

  @Test
  void noEndpointsNoActions() {
    assertThat(EndpointSettings.parse(PluginContext.empty("http-callout"))).isEmpty();
  }

  @Test
  void reportsEveryProblemNamingItsSettingAndNoSecret() {
    assertThatThrownBy(
            () ->
                EndpointSettings.parse(
                    context(
                        Map.of(
                            "allow", "https://crm.example.com/api",
                            "endpoints.crm.url", "https://crm.example.com.evil.org/api/x",
                            "endpoints.crm.method", "FETCH",
                            "endpoints.crm.inputs", "amount:MONEY",
                            "endpoints.crm.outputs", "score:NUMBER",
                            "endpoints.crm.header.1", "X-Key: ${other.token}",
                            "endpoints.crm.timeout", "10s",
                            "endpoints.crm.retries", "99",
                            "endpoints.crm.colour", "blue"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "plugins.http-callout.endpoints.crm.url: 'https://crm.example.com.evil.org/api/x' is"
                + " not under any base URL of plugins.http-callout.allow")
        .hasMessageContaining("plugins.http-callout.endpoints.crm.method: 'FETCH' is not one of")
        .hasMessageContaining("endpoints.crm.inputs: 'MONEY' is not a type")
        .hasMessageContaining("endpoints.crm.outputs: 'score:NUMBER' has no JSON pointer")
        .hasMessageContaining("endpoints.crm.header.1: names secret 'other.token'")
        .hasMessageContaining("endpoints.crm.timeout: '10s' is no ISO-8601 duration")
        .hasMessageContaining("endpoints.crm.retries: '99' is no whole number from 0 to 10")
        .hasMessageContaining("endpoints.crm.colour: is not an endpoint setting")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void theAllowListComparesSchemeHostPortAndPath() {
    String allow = "https://crm.example.com/api/";
    for (String bad :
        new String[] {
          "http://crm.example.com/api/x",
          "https://crm.example.com:8443/api/x",
          "https://crm.example.com/apix",
          "https://crm.example.com/api/../admin",
          "https://user@crm.example.com/api/x"
        }) {
      assertThatThrownBy(
              () ->
                  EndpointSettings.parse(context(Map.of("allow", allow, "endpoints.crm.url", bad))))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("endpoints.crm.url");
    }
    assertThat(
            EndpointSettings.parse(
                context(
                    Map.of(
                        "allow",
                        allow,
                        "endpoints.crm.url",
                        "https://CRM.example.com:443/api/v2/score?x=1",
                        "endpoints.crm.timeout",
                        "PT2S"))))
        .singleElement()
        .satisfies(endpoint -> assertThat(endpoint.timeout()).isEqualTo(Duration.ofSeconds(2)));
  }

  @Test
  void endpointsNeedAnAllowList() {
    assertThatThrownBy(
            () ->
                EndpointSettings.parse(
                    context(Map.of("endpoints.crm.url", "https://crm.example.com/x"))))
        .hasMessageContaining("plugins.http-callout.allow: is missing");
  }
}

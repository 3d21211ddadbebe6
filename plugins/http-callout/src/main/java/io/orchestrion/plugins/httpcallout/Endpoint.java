package io.orchestrion.plugins.httpcallout;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.ActionParameter;
import io.orchestrion.spi.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One configured endpoint, the source of one action ({@code http.<name>}). Built from the plugin's
 * settings by {@link EndpointSettings}. Holds secrets only as {@link Secret}s, so that printing it
 * prints no secret value.
 *
 * @param url checked against the allow-list
 * @param method GET, POST, PUT, PATCH or DELETE; GET and DELETE send the inputs as query
 *     parameters, the others as a JSON object body
 * @param headers sent with every request, values with {@code ${secret}} placeholders
 * @param timeout of one attempt, from sending the request until the whole response has arrived
 * @param retries further attempts after a 5xx answer, a timeout or a connection failure
 * @param backoff the pause before the first retry, doubled before each further one
 */
record Endpoint(
    String name,
    String description,
    URI url,
    String method,
    List<ActionParameter> inputs,
    List<OutputMapping> outputs,
    List<HeaderTemplate> headers,
    Duration timeout,
    int retries,
    Duration backoff) {
  /** The prefix of the action ids: endpoint {@code crm} is action {@code http.crm}. */
  static final String ACTION_PREFIX = "http.";

  Endpoint {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    requireNonNull(url, "url is null");
    requireNonNull(method, "method is null");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    headers = List.copyOf(headers);
    requireNonNull(timeout, "timeout is null");
    requireNonNull(backoff, "backoff is null");
  }

  String actionId() {
    return ACTION_PREFIX + name;
  }

  boolean sendsBody() {
    return !method.equals("GET") && !method.equals("DELETE");
  }

  /** For messages: {@code action 'http.crm' (POST http://host/path)}. */
  String describeCall() {
    return "action '%s' (%s %s)".formatted(actionId(), method, url);
  }

  /** An output and where it is in the response: an RFC 6901 JSON pointer. */
  record OutputMapping(ActionParameter parameter, String pointer) {
    OutputMapping {
      requireNonNull(parameter, "parameter is null");
      requireNonNull(pointer, "pointer is null");
    }
  }

  /**
   * A request header whose value may name secrets: {@code Bearer ${crm.token}}.
   *
   * @param secrets the secrets the template names, by name
   */
  record HeaderTemplate(String name, String template, Map<String, Secret> secrets) {
    HeaderTemplate {
      requireNonNull(name, "name is null");
      requireNonNull(template, "template is null");
      secrets = Map.copyOf(secrets);
    }

    /** The value with the secrets revealed: for the request only, never for a message. */
    String render() {
      String value = template;
      for (var secret : secrets.entrySet()) {
        value = value.replace("${" + secret.getKey() + "}", secret.getValue().reveal());
      }
      return value;
    }
  }
}

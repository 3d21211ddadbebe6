package io.orchestrion.plugins.httpcallout;

import io.orchestrion.plugins.httpcallout.Endpoint.HeaderTemplate;
import io.orchestrion.plugins.httpcallout.Endpoint.OutputMapping;
import io.orchestrion.spi.Action;
import io.orchestrion.spi.ActionInvocation;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Calls one endpoint: the inputs as a JSON object body (or query parameters for GET and DELETE),
 * the configured headers with their secrets, and an {@code Idempotency-Key} header carrying the
 * invocation's key, which stays the same when the engine repeats a call after a crash. Retries
 * after a 5xx answer, a timeout or a connection failure, pausing {@code backoff}, then twice that,
 * and so on; any other answer outside 2xx fails at once. Thread-safe: {@link HttpClient} is.
 *
 * <p>Every failure message names the call (method and URL) and never a secret's value: values of
 * the endpoint's secrets are masked in the response excerpts a message quotes and in text outputs.
 */
final class HttpCalloutAction implements Action {
  /** Longer responses are refused: a call-out answers with a few fields, not a download. */
  static final int MAX_RESPONSE_BYTES = 1024 * 1024;

  /** How much of an unexpected response body a failure message quotes. */
  static final int EXCERPT_CHARS = 200;

  private final Endpoint endpoint;
  private final HttpClient client;
  private final Redactor redactor;

  HttpCalloutAction(Endpoint endpoint) {
    this.endpoint = endpoint;
    // Redirects could lead outside the allow-list; they are answers like any other non-2xx.
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(endpoint.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            // Plain http: HTTP/1.1, without the h2c upgrade that many servers do not expect.
            .version(
                endpoint.url().getScheme().equalsIgnoreCase("https")
                    ? HttpClient.Version.HTTP_2
                    : HttpClient.Version.HTTP_1_1)
            .build();
    this.redactor = new Redactor(endpoint.headers());
  }

  @Override
  public Map<String, Object> invoke(ActionInvocation invocation)
      throws CalloutException, InterruptedException {
    HttpRequest request = request(invocation);
    int attempts = endpoint.retries() + 1;
    String lastFailure = "";
    Duration pause = endpoint.backoff();
    for (int attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        Thread.sleep(pause);
        pause = pause.multipliedBy(2);
      }
      HttpResponse<InputStream> response;
      String body;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        body = read(response);
      } catch (HttpTimeoutException e) {
        lastFailure = "no answer within " + endpoint.timeout();
        continue;
      } catch (IOException e) {
        lastFailure = "connection failed: " + redactor.mask(String.valueOf(e.getMessage()));
        continue;
      }
      int status = response.statusCode();
      if (status >= 500) {
        lastFailure = "HTTP " + status + excerpt(body);
        continue;
      }
      if (status < 200 || status > 299) {
        throw failure("HTTP " + status + excerpt(body));
      }
      return outputs(body);
    }
    throw failure(
        "%s after %d attempt%s".formatted(lastFailure, attempts, attempts == 1 ? "" : "s"));
  }

  private HttpRequest request(ActionInvocation invocation) {
    URI uri = endpoint.url();
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    if (endpoint.sendsBody()) {
      body =
          HttpRequest.BodyPublishers.ofString(Json.write(JsonValues.inputs(endpoint, invocation)));
    } else if (!invocation.inputs().isEmpty()) {
      uri = withQuery(uri, JsonValues.inputs(endpoint, invocation));
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(endpoint.timeout())
            .header("Accept", "application/json")
            .header("Idempotency-Key", invocation.idempotencyKey())
            .method(endpoint.method(), body);
    if (endpoint.sendsBody()) {
      builder.header("Content-Type", "application/json");
    }
    for (HeaderTemplate header : endpoint.headers()) {
      builder.header(header.name(), header.render());
    }
    return builder.build();
  }

  private static URI withQuery(URI uri, Map<String, Object> inputs) {
    String query =
        inputs.entrySet().stream()
            .flatMap(
                entry ->
                    (entry.getValue() instanceof List<?> values
                            ? values
                            : List.of(entry.getValue()))
                        .stream().map(value -> encode(entry.getKey()) + "=" + encode(value)))
            .collect(Collectors.joining("&"));
    String text = uri.toString();
    return URI.create(text + (uri.getRawQuery() == null ? "?" : "&") + query);
  }

  private static String encode(Object value) {
    return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
  }

  private String read(HttpResponse<InputStream> response) throws IOException {
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
      if (bytes.length > MAX_RESPONSE_BYTES) {
        throw new IOException("the response is longer than " + MAX_RESPONSE_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private Map<String, Object> outputs(String body) throws CalloutException {
    if (endpoint.outputs().isEmpty()) {
      return Map.of();
    }
    Object document;
    try {
      document = Json.parse(body);
    } catch (IllegalArgumentException e) {
      throw failure("the response is no JSON (" + e.getMessage() + ")" + excerpt(body));
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    for (OutputMapping mapping : endpoint.outputs()) {
      String name = mapping.parameter().name();
      Optional<Object> value = Json.at(document, mapping.pointer());
      if (value.isEmpty()) {
        if (mapping.parameter().required()) {
          throw failure(
              "the response has no value at '%s' for output '%s'"
                  .formatted(mapping.pointer(), name));
        }
        continue;
      }
      try {
        outputs.put(name, redactor.maskText(JsonValues.output(mapping.parameter(), value.get())));
      } catch (IllegalArgumentException e) {
        throw failure(
            "the response value at '%s' for output '%s' %s"
                .formatted(mapping.pointer(), name, redactor.mask(e.getMessage())));
      }
    }
    return outputs;
  }

  private String excerpt(String body) {
    if (body.isBlank()) {
      return "";
    }
    String text = body.strip();
    if (text.length() > EXCERPT_CHARS) {
      text = text.substring(0, EXCERPT_CHARS) + "…";
    }
    return ": " + redactor.mask(text);
  }

  private CalloutException failure(String reason) {
    return new CalloutException(
        "%s %s %s: %s".formatted(endpoint.actionId(), endpoint.method(), endpoint.url(), reason));
  }

  /** A failed call; the message names the call and holds no secret value. */
  static final class CalloutException extends Exception {
    private static final long serialVersionUID = 1L;

    CalloutException(String message) {
      super(message);
    }
  }

  /** Masks the values of an endpoint's secrets in text that leaves the plugin. */
  private static final class Redactor {
    private final List<String> values;

    Redactor(List<HeaderTemplate> headers) {
      this.values =
          headers.stream()
              .flatMap(header -> header.secrets().values().stream())
              .map(secret -> secret.reveal())
              .filter(value -> !value.isEmpty())
              .distinct()
              .toList();
    }

    String mask(String text) {
      String masked = text;
      for (String value : values) {
        masked = masked.replace(value, io.orchestrion.spi.Secret.REDACTED);
      }
      return masked;
    }

    Object maskText(Object value) {
      if (value instanceof String text) {
        return mask(text);
      }
      if (value instanceof List<?> list) {
        return list.stream().map(this::maskText).toList();
      }
      return value;
    }
  }
}

package io.orchestrion.server.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A small blocking HTTP client for tests, sending the bearer token when it has one. */
public final class ApiClient {
  // HTTP/1.1: the JDK client's default, HTTP/2 over cleartext, starts with an upgrade request that
  // now and then read the server's HTTP/1.1 answer as HTTP/2 frames ("Frame type(110) ...
  // exceeds MAX_FRAME_SIZE" in ApiValidationIT). The server speaks HTTP/1.1.
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI baseUri;
  private final Optional<String> token;

  public ApiClient(URI baseUri, Optional<String> token) {
    this.baseUri = baseUri;
    this.token = token;
  }

  public ApiClient withToken(Optional<String> newToken) {
    return new ApiClient(baseUri, newToken);
  }

  public ApiResponse get(String path) {
    return send("GET", path, Optional.empty(), Map.of());
  }

  public ApiResponse post(String path, String json) {
    return send("POST", path, Optional.of(json), Map.of());
  }

  public ApiResponse put(String path, String json) {
    return send("PUT", path, Optional.of(json), Map.of());
  }

  public ApiResponse patch(String path, String json) {
    return send("PATCH", path, Optional.of(json), Map.of());
  }

  public ApiResponse send(
      String method, String path, Optional<String> json, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(baseUri.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                json.map(HttpRequest.BodyPublishers::ofString)
                    .orElse(HttpRequest.BodyPublishers.noBody()));
    json.ifPresent(body -> request.header("Content-Type", "application/json"));
    token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new ApiResponse(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during " + method + " " + path, e);
    }
  }
}

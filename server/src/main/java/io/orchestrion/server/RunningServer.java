package io.orchestrion.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.server.http.JwtTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * The server that holds the embedded database, asked by the {@code token} command whether a user
 * may sign in: it presents a one-minute token for that user to an endpoint every active user may
 * call, and the server accepts it only for an existing, active, non-automated user.
 */
final class RunningServer {
  private static final Duration PROBE_LIFETIME = Duration.ofMinutes(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private RunningServer() {}

  static void requireSignInUser(ServerConfig config, JwtTokens tokens, String userId) {
    String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
    URI probe = URI.create("http://" + host + ":" + config.port() + "/api/v1/flows?limit=1");
    HttpRequest request =
        HttpRequest.newBuilder(probe)
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + tokens.mint(userId, Instant.now(), PROBE_LIFETIME))
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response =
          HttpClient.newBuilder()
              .connectTimeout(TIMEOUT)
              .build()
              .send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "the embedded database in '"
              + config.dataDirectory()
              + "' is in use by another process and no Orchestrion server answers on "
              + probe.resolve("/")
              + " ("
              + e.getClass().getSimpleName()
              + "): give this command the server's --config or --port, or stop that process");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR, "interrupted while asking the running server", e);
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "the server on "
              + probe.resolve("/")
              + " refuses user '"
              + userId
              + "': "
              + detail(response));
    }
    if (response.statusCode() != 200) {
      throw new OrchestrionException(
          StandardErrorCode.EXTERNAL_ERROR,
          "the server on "
              + probe.resolve("/")
              + " answered "
              + response.statusCode()
              + " when asked about user '"
              + userId
              + "': "
              + detail(response));
    }
  }

  private static String detail(HttpResponse<String> response) {
    try {
      JsonNode problem = new ObjectMapper().readTree(response.body());
      return problem.path("detail").asText(response.body());
    } catch (IOException | RuntimeException e) {
      return response.body();
    }
  }
}

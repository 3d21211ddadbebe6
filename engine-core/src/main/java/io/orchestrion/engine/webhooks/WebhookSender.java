package io.orchestrion.engine.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends one delivery: {@code POST} of the event's JSON with the signature headers (docs/api.md
 * "Webhooks"): {@code X-Orchestrion-Timestamp} (Unix seconds) and {@code X-Orchestrion-Signature:
 * v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}. The whole attempt is bounded by the
 * timeout; the answer's body is discarded.
 */
final class WebhookSender {
  static final String SIGNATURE_HEADER = "X-Orchestrion-Signature";
  static final String TIMESTAMP_HEADER = "X-Orchestrion-Timestamp";

  private final HttpClient http;
  private final Duration timeout;

  WebhookSender(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** What an attempt came to: a 2xx status, or the failure to record. */
  record Outcome(boolean delivered, Optional<Integer> statusCode, String error) {}

  Outcome send(WebhookOutbox.Claimed delivery, Instant now) {
    String timestamp = Long.toString(now.getEpochSecond());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(delivery.url()))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "Orchestrion-Webhooks")
            .header("X-Orchestrion-Event-Id", delivery.event().eventId())
            .header("X-Orchestrion-Event-Kind", delivery.event().kind().name())
            .header("X-Orchestrion-Sequence", Long.toString(delivery.event().sequence()))
            .header("X-Orchestrion-Delivery", Long.toString(delivery.deliveryId()))
            .header(TIMESTAMP_HEADER, timestamp)
            .header(SIGNATURE_HEADER, "v1=" + sign(delivery.secret(), timestamp, delivery.body()))
            .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8))
            .build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return new Outcome(true, Optional.of(status), "");
      }
      return new Outcome(false, Optional.of(status), "the receiver answered HTTP " + status);
    } catch (HttpTimeoutException e) {
      return new Outcome(false, Optional.empty(), "no answer within " + timeout);
    } catch (IOException e) {
      return new Outcome(false, Optional.empty(), "sending failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, Optional.empty(), "interrupted: the node is stopping");
    } catch (IllegalArgumentException e) {
      return new Outcome(false, Optional.empty(), "the URL cannot be used: " + e.getMessage());
    }
  }

  /** Lower-case hex HMAC-SHA256 of {@code timestamp + "." + body} with {@code secret}. */
  static String sign(String secret, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}

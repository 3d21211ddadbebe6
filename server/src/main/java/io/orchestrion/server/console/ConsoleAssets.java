package io.orchestrion.server.console;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The console's files, read once from the class path ({@code /console/...} in the server jar) and
 * served from memory: only the files listed here exist, so no request path reaches the file system
 * or another resource. Every response forbids inline scripts and foreign origins (CSP).
 */
public final class ConsoleAssets {
  static final String RESOURCES = "/console/";

  /** Every file of the console; ConsoleAssetsTest checks the list against the resources. */
  static final List<String> FILES =
      List.of(
          "index.html",
          "console.css",
          "js/app.js",
          "js/api.js",
          "js/dom.js",
          "js/events.js",
          "js/diagrams.js",
          "js/session.js",
          "js/views/signin.js",
          "js/views/inbox.js",
          "js/views/submissions.js",
          "js/views/submission.js",
          "js/views/new-submission.js",
          "js/views/definitions.js");

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final Map<String, Asset> assets = new LinkedHashMap<>();

  public ConsoleAssets() {
    for (String file : FILES) {
      assets.put(file, new Asset(Buffer.buffer(read(file)), contentType(file)));
    }
  }

  /** The asset at {@code path} (relative to {@code /console/}), if the console has it. */
  Optional<Asset> find(String path) {
    return Optional.ofNullable(assets.get(path.isEmpty() ? "index.html" : path));
  }

  /** Serves the asset of the request path after {@code /console/}, or passes on (404). */
  void handle(RoutingContext context) {
    String path = context.request().path();
    String relative = path.substring(Math.min(path.length(), ConsoleRoutes.PREFIX.length() + 1));
    Optional<Asset> asset = find(relative);
    if (asset.isEmpty()) {
      context.next();
      return;
    }
    secured(context)
        .putHeader(HttpHeaders.CONTENT_TYPE, asset.get().contentType())
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(asset.get().content());
  }

  static io.vertx.core.http.HttpServerResponse secured(RoutingContext context) {
    return context
        .response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
  }

  private static byte[] read(String file) {
    try (InputStream in = ConsoleAssets.class.getResourceAsStream(RESOURCES + file)) {
      if (in == null) {
        throw new OrchestrionException(
            StandardErrorCode.INTERNAL_ERROR, "Missing console resource " + RESOURCES + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String contentType(String file) {
    String extension = file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return switch (extension) {
      case "html" -> "text/html; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "js" -> "text/javascript; charset=utf-8";
      default -> "application/octet-stream";
    };
  }

  /** One file: its bytes and media type. */
  record Asset(Buffer content, String contentType) {}
}

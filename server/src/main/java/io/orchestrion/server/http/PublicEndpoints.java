package io.orchestrion.server.http;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The endpoints that need no token: the health check and the OpenAPI document. */
public final class PublicEndpoints {
  private static final String OPENAPI_RESOURCE = "/openapi.yaml";

  private final byte[] openApi;

  @Inject
  public PublicEndpoints() {
    this.openApi = loadOpenApi();
  }

  void health(RoutingContext context) {
    context
        .response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end("{\"status\":\"UP\"}");
  }

  void openApi(RoutingContext context) {
    context
        .response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml")
        .end(io.vertx.core.buffer.Buffer.buffer(openApi));
  }

  private static byte[] loadOpenApi() {
    try (InputStream in = PublicEndpoints.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new OrchestrionException(
            StandardErrorCode.INTERNAL_ERROR, "Missing class-path resource " + OPENAPI_RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.orchestrion.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document parses and documents every route of the API. */
class OpenApiDocumentTest {
  private static final List<String> ROUTES =
      List.of(
          "get /health",
          "get /health/live",
          "get /health/ready",
          "get /api/v1/health",
          "get /api/v1/me",
          "get /openapi.yaml",
          "get /schemas/object-type.schema.json",
          "get /schemas/flow.schema.json",
          "get /schemas/orchestration.schema.json",
          "get /metrics",
          "get /api/v1/object-types",
          "put /api/v1/object-types/{apiName}",
          "get /api/v1/object-types/{apiName}",
          "post /api/v1/records/{objectType}",
          "get /api/v1/records/{objectType}/{id}",
          "patch /api/v1/records/{objectType}/{id}",
          "post /api/v1/flows",
          "get /api/v1/flows",
          "get /api/v1/flows/{apiName}/versions",
          "get /api/v1/flows/{apiName}/versions/{version}",
          "post /api/v1/flows/{apiName}/versions/{version}/activate",
          "post /api/v1/flows/{apiName}/versions/{version}/deactivate",
          "delete /api/v1/flows/{apiName}/versions/{version}",
          "post /api/v1/orchestrations",
          "get /api/v1/orchestrations",
          "get /api/v1/orchestrations/{apiName}/versions",
          "get /api/v1/orchestrations/{apiName}/versions/{version}",
          "post /api/v1/orchestrations/{apiName}/versions/{version}/activate",
          "post /api/v1/orchestrations/{apiName}/versions/{version}/deactivate",
          "delete /api/v1/orchestrations/{apiName}/versions/{version}",
          "post /api/v1/submissions",
          "get /api/v1/submissions",
          "get /api/v1/submissions/{id}",
          "get /api/v1/runs/{id}",
          "post /api/v1/runs/{id}/events",
          "get /api/v1/events",
          "get /api/v1/events/stream",
          "post /api/v1/events/stream-tickets",
          "post /api/v1/webhooks",
          "get /api/v1/webhooks",
          "get /api/v1/webhooks/{id}",
          "put /api/v1/webhooks/{id}",
          "delete /api/v1/webhooks/{id}",
          "get /api/v1/webhooks/{id}/deliveries",
          "post /api/v1/webhooks/{id}/redrive",
          "post /api/v1/submissions/{id}/recall",
          "post /api/v1/submissions/{id}/cancel",
          "post /api/v1/runs/{id}/suspend",
          "post /api/v1/runs/{id}/resume",
          "post /api/v1/runs/{id}/retry",
          "get /api/v1/runs/{id}/explain",
          "get /api/v1/runs/{id}/work-items",
          "get /api/v1/work-items",
          "get /api/v1/work-items/{id}",
          "post /api/v1/work-items/{id}/decision",
          "post /api/v1/work-items/{id}/reassign",
          "post /api/v1/flow-events",
          "post /api/v1/tokens",
          "get /api/v1/users",
          "get /api/v1/users/{id}",
          "put /api/v1/users/{id}",
          "get /api/v1/users/{id}/delegation",
          "put /api/v1/users/{id}/delegation",
          "delete /api/v1/users/{id}/delegation",
          "put /api/v1/users/{id}/permission-sets/{setId}",
          "delete /api/v1/users/{id}/permission-sets/{setId}",
          "get /api/v1/roles",
          "put /api/v1/roles/{id}",
          "get /api/v1/groups",
          "put /api/v1/groups/{id}",
          "delete /api/v1/groups/{id}",
          "get /api/v1/queues",
          "put /api/v1/queues/{id}",
          "delete /api/v1/queues/{id}",
          "get /api/v1/permission-sets",
          "put /api/v1/permission-sets/{id}",
          "get /api/v1/records/{objectType}/{id}/shares",
          "post /api/v1/records/{objectType}/{id}/shares",
          "delete /api/v1/records/{objectType}/{id}/shares/{granteeType}/{granteeId}");

  @Test
  void documentsEveryRoute() throws Exception {
    JsonNode document;
    try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi.yaml")) {
      document = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
    for (String route : ROUTES) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1);
      JsonNode operation = document.path("paths").path(path).path(method);
      assertThat(operation.isObject()).as(route).isTrue();
      assertThat(operation.path("responses").isObject()).as(route).isTrue();
    }
    assertThat(document.path("paths").size())
        .isEqualTo(ROUTES.stream().map(r -> r.substring(r.indexOf(' ') + 1)).distinct().count());
  }

  /**
   * The examples in the document (of a request or response body, or of a component schema) are
   * valid against the schema they illustrate, so a client copying one sends a valid request.
   */
  @Test
  void everyExampleMatchesItsSchema() {
    OpenApiDocument document = OpenApiDocument.load();
    List<String> failures = new java.util.ArrayList<>();
    int[] checked = {0};
    collectExamples(document, document.root(), "#", failures, checked);
    assertThat(failures).isEmpty();
    assertThat(checked[0]).as("examples checked").isGreaterThanOrEqualTo(11);
  }

  private static void collectExamples(
      OpenApiDocument document,
      JsonNode node,
      String pointer,
      List<String> failures,
      int[] checked) {
    if (node.isObject()) {
      if (node.has("example") && !pointer.contains("/properties/")) {
        // A media type's example illustrates its schema; a schema's example illustrates itself.
        JsonNode schema = node.has("schema") ? node.get("schema") : node;
        if (node.has("schema") || node.has("type") || node.has("properties")) {
          checked[0]++;
          document
              .validate(schema, node.get("example"))
              .forEach(error -> failures.add(pointer + "/example: " + error));
        }
      }
      node.properties()
          .forEach(
              entry ->
                  collectExamples(
                      document,
                      entry.getValue(),
                      pointer + "/" + entry.getKey(),
                      failures,
                      checked));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectExamples(document, node.get(i), pointer + "/" + i, failures, checked);
      }
    }
  }

  @Test
  void everyReferenceResolves() throws Exception {
    String text;
    try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi.yaml")) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(text);
    java.util.regex.Matcher references =
        java.util.regex.Pattern.compile("\\$ref: \"#/([^\"]+)\"").matcher(text);
    int count = 0;
    while (references.find()) {
      count++;
      assertThat(document.at("/" + references.group(1)).isMissingNode())
          .as(references.group(1))
          .isFalse();
    }
    assertThat(count).isGreaterThan(20);
  }
}

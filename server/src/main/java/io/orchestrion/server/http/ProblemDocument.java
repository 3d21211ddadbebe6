package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.Problem;
import java.util.List;

/**
 * The body of every error response ({@code application/problem+json}, RFC 9457), with the
 * machine-readable {@code code} and the validation {@code problems} ({@code {path, message}}).
 */
public record ProblemDocument(
    String type, String title, int status, String detail, String code, List<Problem> problems) {
  public static final String CONTENT_TYPE = "application/problem+json";

  public ProblemDocument {
    requireNonNull(type, "type is null");
    requireNonNull(title, "title is null");
    requireNonNull(detail, "detail is null");
    requireNonNull(code, "code is null");
    problems = List.copyOf(problems);
  }

  public static ProblemDocument of(int status, String code, String detail, List<Problem> problems) {
    return new ProblemDocument(
        "urn:orchestrion:problem:" + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        HttpStatusTitles.title(status),
        status,
        detail,
        code,
        problems);
  }
}

package io.orchestrion.engine.samples;

import static io.orchestrion.engine.testing.EngineHarness.fixture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.flow.FlowElement;
import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.orchestration.ConditionSpec;
import io.orchestrion.api.orchestration.StageDefinition;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.engine.DefinitionValidator;
import io.orchestrion.engine.api.DefinitionDocument;
import io.orchestrion.engine.api.Finding;
import io.orchestrion.engine.api.Finding.Severity;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.flow.json.StrictJsonReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the fenced {@code json} blocks of a Markdown file against the engine (issue #14). Every
 * block needs a marker on the nearest non-blank line above its fence: {@code <!-- snippet: KIND
 * -->}, optionally followed by {@code uses a.json, b.json} (fixtures under {@code
 * engine-core/src/test/resources/fixtures/} validated together with it). Kinds: {@code
 * object-type}, {@code flow}, {@code orchestration} (the offline deploy checks, {@link
 * DefinitionValidator}); {@code stage}, {@code step}, {@code condition}, {@code flow-element},
 * {@code variable} (read strictly as that part of a definition: an unknown property fails); {@code
 * json} (an HTTP body or event: must parse); {@code fragment} (an excerpt with ellipses: not
 * parsed). An unlabelled block that starts with a brace or a bracket fails too (label it json).
 * Failures read {@code file:line: message}, the line of the opening fence.
 */
final class DocSnippets {
  private static final Pattern MARKER =
      Pattern.compile("<!--\\s*snippet:\\s*([a-z-]+)(?:\\s+uses\\s+([^>]*?))?\\s*-->");
  private static final Map<String, Class<?>> PARTS =
      Map.of(
          "stage", StageDefinition.class,
          "step", StepDefinition.class,
          "condition", ConditionSpec.class,
          "flow-element", FlowElement.class,
          "variable", VariableDefinition.class);
  private static final List<String> DEFINITIONS = List.of("object-type", "flow", "orchestration");

  /** A fenced json block: where its fence is, its marker's kind and fixtures, its text. */
  record Snippet(String file, int line, String kind, List<String> uses, String json) {
    String where() {
      return file + ":" + line;
    }
  }

  /** What a check found: the snippets seen and the failures, each {@code file:line: message}. */
  record Result(List<Snippet> snippets, List<String> failures) {}

  private final ObjectMapper mapper = OrchestrionJson.newObjectMapper();
  private final StrictJsonReader reader = new StrictJsonReader(mapper);
  private final DefinitionValidator validator = DefinitionValidator.withPlugins(Optional.empty());

  /** Checks every json block of {@code markdown}, named {@code file} in failures. */
  Result check(String file, String markdown) {
    List<Snippet> snippets = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].strip().startsWith("```")) {
        continue;
      }
      String opening = lines[i].strip();
      String ticks =
          opening.substring(0, opening.length() - opening.replaceFirst("^`+", "").length());
      String language = opening.substring(ticks.length()).strip();
      int fence = i + 1;
      StringBuilder text = new StringBuilder();
      int j = i + 1;
      while (j < lines.length
          && !(lines[j].strip().startsWith(ticks) && lines[j].strip().replace("`", "").isEmpty())) {
        text.append(lines[j]).append('\n');
        j++;
      }
      if (j == lines.length) {
        failures.add(file + ":" + fence + ": code block is never closed");
      }
      if (!language.equals("json")) {
        String content = text.toString().strip();
        if (language.isEmpty() && (content.startsWith("{") || content.startsWith("["))) {
          failures.add(file + ":" + fence + ": looks like JSON: label the block ```json");
        }
        i = j;
        continue;
      }
      int above = i - 1;
      while (above >= 0 && lines[above].isBlank()) {
        above--;
      }
      Matcher marker = above >= 0 ? MARKER.matcher(lines[above].strip()) : null;
      i = j;
      if (marker == null || !marker.matches()) {
        failures.add(
            file
                + ":"
                + fence
                + ": json block without a marker such as <!-- snippet: orchestration uses"
                + " expense.object.json --> on the line above (see docs/README.md)");
        continue;
      }
      List<String> uses =
          marker.group(2) == null
              ? List.of()
              : Arrays.stream(marker.group(2).split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
      Snippet snippet = new Snippet(file, fence, marker.group(1), uses, text.toString());
      snippets.add(snippet);
      check(snippet, failures);
    }
    return new Result(snippets, failures);
  }

  private void check(Snippet snippet, List<String> failures) {
    String kind = snippet.kind();
    if (kind.equals("fragment")) {
      return;
    }
    if (!kind.equals("json") && !PARTS.containsKey(kind) && !DEFINITIONS.contains(kind)) {
      failures.add(snippet.where() + ": unknown snippet kind '" + kind + "'");
      return;
    }
    try {
      mapper.readTree(snippet.json());
    } catch (JsonProcessingException e) {
      failures.add(snippet.where() + ": not JSON: " + e.getOriginalMessage());
      return;
    }
    if (PARTS.containsKey(kind)) {
      try {
        reader.read(snippet.json(), PARTS.get(kind), kind);
      } catch (OrchestrionException e) {
        for (Problem problem : e.getProblems()) {
          failures.add(snippet.where() + ": " + problem.path() + ": " + problem.message());
        }
      }
    } else if (DEFINITIONS.contains(kind)) {
      List<DefinitionDocument> documents = new ArrayList<>();
      for (String name : snippet.uses()) {
        try {
          documents.add(new DefinitionDocument(name, fixture(name)));
        } catch (IllegalArgumentException e) {
          failures.add(snippet.where() + ": uses " + name + ": " + e.getMessage());
          return;
        }
      }
      documents.add(new DefinitionDocument(snippet.where(), snippet.json()));
      for (Finding finding : validator.validate(documents)) {
        if (finding.severity() == Severity.ERROR) {
          failures.add(
              snippet.where()
                  + ": "
                  + (finding.source().equals(snippet.where()) ? "" : finding.source() + ": ")
                  + finding.path()
                  + ": "
                  + finding.message());
        }
      }
    }
  }
}

package io.orchestrion.engine.validation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.engine.api.DefinitionDocument;
import io.orchestrion.engine.api.DocumentKind;
import io.orchestrion.engine.api.Finding;
import io.orchestrion.engine.api.Finding.Severity;
import io.orchestrion.engine.flows.FlowDeployChecks;
import io.orchestrion.engine.orchestration.OrchestrationCompiler;
import io.orchestrion.engine.orchestration.OrchestrationCompiler.Purpose;
import io.orchestrion.engine.orchestration.OrchestrationDeployChecks;
import io.orchestrion.engine.orchestration.OrchestrationValidation;
import io.orchestrion.engine.plugins.PluginManager;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.flow.FlowAnalysis;
import io.orchestrion.flow.FlowAnalyzer;
import io.orchestrion.flow.FlowEnvironment;
import io.orchestrion.flow.RegisteredAction;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.flow.json.StrictJsonReader;
import io.orchestrion.spi.ActionDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks object types, flows and orchestrations given together, without a database: each document
 * is read as strictly as a deploy reads it, then object types are checked like a define ({@link
 * ObjectTypeStore#check}), flows like a deploy ({@link FlowDeployChecks}) and orchestrations like
 * an activation ({@link OrchestrationDeployChecks}), every reference resolved among the documents
 * given (each flow counts as the active version of its api name) and the plugins' condition types
 * and actions. Thread-safe.
 */
public final class DefinitionSetValidator {
  private final StrictJsonReader reader;
  private final PluginManager plugins;
  private final FlowAnalyzer analyzer = new FlowAnalyzer();
  private final OrchestrationCompiler compiler;

  /** A document read as a definition of its kind. */
  private record Parsed(String source, DocumentKind kind, Object definition, String apiName) {}

  public DefinitionSetValidator(PluginManager plugins) {
    this(plugins, OrchestrionJson.newObjectMapper());
  }

  DefinitionSetValidator(PluginManager plugins, ObjectMapper mapper) {
    this.plugins = requireNonNull(plugins, "plugins is null");
    this.reader = new StrictJsonReader(mapper);
    this.compiler = OrchestrationCompiler.withoutStore(plugins);
  }

  /** Every finding in {@code documents}, errors and warnings, in the order of the documents. */
  public List<Finding> validate(List<DefinitionDocument> documents) {
    Map<String, List<Finding>> findings = new LinkedHashMap<>();
    List<Parsed> parsed = new ArrayList<>();
    for (DefinitionDocument document : documents) {
      findings.putIfAbsent(document.source(), new ArrayList<>());
      read(document, findings.get(document.source())).ifPresent(parsed::add);
    }
    Map<String, ObjectTypeDefinition> objectTypes = new HashMap<>();
    Map<String, FlowDefinition> flows = new HashMap<>();
    Map<DocumentKind, Map<String, String>> seen = new HashMap<>();
    for (Parsed document : parsed) {
      String earlier =
          seen.computeIfAbsent(document.kind(), kind -> new HashMap<>())
              .putIfAbsent(document.apiName(), document.source());
      if (earlier != null) {
        findings
            .get(document.source())
            .add(
                error(
                    document.source(),
                    "$.apiName",
                    "%s '%s' is also defined in %s"
                        .formatted(document.kind().displayName(), document.apiName(), earlier)));
        continue;
      }
      switch (document.definition()) {
        case ObjectTypeDefinition type -> objectTypes.put(type.apiName(), type);
        case FlowDefinition flow -> flows.put(flow.apiName(), flow);
        default -> {}
      }
    }
    FlowEnvironment environment = environment(objectTypes, flows);
    OrchestrationCompiler.Lookups lookups =
        new OrchestrationCompiler.Lookups(
            name -> Optional.ofNullable(objectTypes.get(name)),
            name -> Optional.ofNullable(flows.get(name)),
            flows::containsKey);
    for (Parsed document : parsed) {
      List<Finding> out = findings.get(document.source());
      switch (document.definition()) {
        case ObjectTypeDefinition type -> checkObjectType(document.source(), type, out);
        case FlowDefinition flow -> {
          FlowAnalysis analysis = analyzer.analyze(flow, environment);
          add(out, document.source(), Severity.ERROR, FlowDeployChecks.problems(flow, analysis));
          add(out, document.source(), Severity.WARNING, analysis.warnings());
        }
        case OrchestrationDefinition orchestration -> {
          OrchestrationValidation validation =
              compiler.validate(orchestration, Purpose.ACTIVATE, lookups);
          add(
              out,
              document.source(),
              Severity.ERROR,
              OrchestrationDeployChecks.problems(orchestration, validation));
          add(out, document.source(), Severity.WARNING, validation.warnings());
        }
        default -> throw new IllegalStateException("unexpected " + document.definition());
      }
    }
    return findings.values().stream().flatMap(List::stream).toList();
  }

  private Optional<Parsed> read(DefinitionDocument document, List<Finding> out) {
    try {
      JsonNode tree = reader.read(document.json(), JsonNode.class, document.source());
      if (!tree.isObject()) {
        out.add(
            error(
                document.source(),
                "$",
                "expected a JSON object: an object type, a flow or an orchestration"));
        return Optional.empty();
      }
      DocumentKind kind = kindOf(tree);
      Object definition = reader.read(document.json(), kind.type(), document.source());
      String apiName =
          switch (definition) {
            case ObjectTypeDefinition type -> type.apiName();
            case FlowDefinition flow -> flow.apiName();
            case OrchestrationDefinition orchestration -> orchestration.apiName();
            default -> throw new IllegalStateException("unexpected " + definition);
          };
      return Optional.of(new Parsed(document.source(), kind, definition, apiName));
    } catch (OrchestrionException e) {
      add(out, document.source(), Severity.ERROR, problemsOf(e));
      return Optional.empty();
    }
  }

  /**
   * The kind a document names with {@code $schema} (a URL or path ending in one of the schema file
   * names), or else the one its properties tell: {@code stages} or {@code objectType} make an
   * orchestration, {@code elements}, {@code start} or {@code type} a flow, anything else an object
   * type.
   */
  static DocumentKind kindOf(JsonNode document) {
    String schema = document.path("$schema").asText("");
    for (DocumentKind kind : DocumentKind.values()) {
      if (schema.endsWith("/" + kind.schemaFileName()) || schema.equals(kind.schemaFileName())) {
        return kind;
      }
    }
    if (document.has("stages") || document.has("objectType")) {
      return DocumentKind.ORCHESTRATION;
    }
    if (document.has("elements") || document.has("start") || document.has("type")) {
      return DocumentKind.FLOW;
    }
    return DocumentKind.OBJECT_TYPE;
  }

  private static void checkObjectType(String source, ObjectTypeDefinition type, List<Finding> out) {
    try {
      ObjectTypeStore.check(type);
    } catch (OrchestrionException e) {
      add(out, source, Severity.ERROR, problemsOf(e));
    }
  }

  private FlowEnvironment environment(
      Map<String, ObjectTypeDefinition> objectTypes, Map<String, FlowDefinition> flows) {
    return new FlowEnvironment() {
      @Override
      public Optional<ObjectTypeDefinition> objectType(String apiName) {
        return Optional.ofNullable(objectTypes.get(apiName));
      }

      @Override
      public Optional<ActionDescriptor> action(String id) {
        return plugins.actions().find(id).map(RegisteredAction::descriptor);
      }

      @Override
      public Optional<FlowDefinition> activeFlow(String apiName) {
        return Optional.ofNullable(flows.get(apiName));
      }
    };
  }

  private static List<Problem> problemsOf(OrchestrionException e) {
    return e.getProblems().isEmpty()
        ? List.of(new Problem("$", String.valueOf(e.getMessage())))
        : e.getProblems();
  }

  private static void add(
      List<Finding> out, String source, Severity severity, List<Problem> problems) {
    for (Problem problem : problems) {
      out.add(new Finding(source, severity, problem.path(), problem.message()));
    }
  }

  private static Finding error(String source, String path, String message) {
    return new Finding(source, Severity.ERROR, path, message);
  }
}

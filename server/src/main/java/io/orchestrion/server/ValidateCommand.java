package io.orchestrion.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.engine.DefinitionValidator;
import io.orchestrion.engine.api.DefinitionDocument;
import io.orchestrion.engine.api.Finding;
import io.orchestrion.engine.api.Finding.Severity;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code orchestrion validate FILE...}: the deploy-time analysis of object types, flows and
 * orchestrations given together, offline (no database, no server). Exit code 0 when every document
 * is valid (warnings allowed), 1 when one is not, 2 for a usage error (picocli's, an unreadable
 * file, plugins that cannot be loaded).
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check object types, flows and orchestrations offline, as a deploy and an activation would,"
          + " without a database. Each file holds one definition; its kind comes from its"
          + " $schema or its properties. A directory stands for the *.json files under it.",
      "Prints 'file: JSON path: message' per problem. Exit code: 0 valid, 1 invalid, 2 usage."
    })
final class ValidateCommand implements Callable<Integer> {
  static final int INVALID = 1;
  static final int USAGE = CommandLine.ExitCode.USAGE;

  enum Format {
    TEXT,
    JSON
  }

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> environment;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Definition files or folders.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--plugin-dir",
      description = "Plugins, a sub-directory each, for their condition types and actions.")
  Optional<Path> pluginDirectory = Optional.empty();

  @Option(
      names = "--config",
      description =
          "A server config file: its pluginDirectory and plugins.<id>.* settings (with the"
              + " ORCHESTRION_ environment) are used, e.g. for http-callout's endpoints.")
  Optional<Path> configFile = Optional.empty();

  @Option(
      names = "--format",
      description = "text (default) or json.",
      defaultValue = "text",
      converter = FormatConverter.class)
  Format format = Format.TEXT;

  ValidateCommand(PrintStream out, PrintStream err, Map<String, String> environment) {
    this.out = out;
    this.err = err;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    // Quiet while validating; the level is restored, since Main.execute may run in a JVM that goes
    // on (tests, an embedder).
    Optional<Logger> engineLogger =
        System.getenv("ORCHESTRION_LOG_LEVEL") == null
                && LoggerFactory.getLogger("io.orchestrion") instanceof Logger logger
            ? Optional.of(logger)
            : Optional.empty();
    Level previous = engineLogger.map(Logger::getLevel).orElse(null);
    engineLogger.ifPresent(logger -> logger.setLevel(Level.WARN));
    try {
      return validate();
    } finally {
      engineLogger.ifPresent(logger -> logger.setLevel(previous));
    }
  }

  private int validate() {
    List<DefinitionDocument> documents;
    try {
      documents = documents(files);
    } catch (UncheckedIOException e) {
      err.println("orchestrion validate: " + e.getCause().getMessage());
      return USAGE;
    }
    DefinitionValidator validator;
    try {
      if (configFile.isPresent()) {
        ServerConfig config = ServerConfigLoader.load(configFile, environment, Map.of());
        validator =
            DefinitionValidator.withPlugins(
                pluginDirectory.or(config::pluginDirectory), config.pluginConfiguration());
      } else {
        validator = DefinitionValidator.withPlugins(pluginDirectory);
      }
    } catch (OrchestrionException e) {
      err.println("orchestrion validate: " + e.getMessage());
      return USAGE;
    }
    List<Finding> findings = validator.validate(documents);
    long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
    if (format == Format.JSON) {
      out.println(json(documents, findings, errors == 0));
    } else {
      findings.forEach(out::println);
      out.println(summary(documents.size(), errors, findings.size() - errors));
    }
    return errors == 0 ? 0 : INVALID;
  }

  private static String summary(int documents, long errors, long warnings) {
    String checked = count(documents, "file");
    return errors == 0
        ? checked + " valid" + (warnings == 0 ? "" : " (" + count(warnings, "warning") + ")")
        : checked + ": " + count(errors, "error") + ", " + count(warnings, "warning");
  }

  private static String count(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  /** The files named, a directory replaced by the *.json files under it in path order. */
  static List<DefinitionDocument> documents(List<Path> paths) {
    List<DefinitionDocument> documents = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> tree = Files.walk(path)) {
          for (Path file :
              tree.filter(Files::isRegularFile)
                  .filter(p -> p.getFileName().toString().endsWith(".json"))
                  .sorted()
                  .toList()) {
            documents.add(read(file));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + path + ": " + e, e);
        }
      } else {
        documents.add(read(path));
      }
    }
    return documents;
  }

  private static DefinitionDocument read(Path file) {
    try {
      return new DefinitionDocument(
          file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(
          new IOException("cannot read " + file + ": " + describe(e), e));
    }
  }

  private static String describe(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException
        ? "no such file"
        : e.getClass().getSimpleName() + " " + e.getMessage();
  }

  private static String json(
      List<DefinitionDocument> documents, List<Finding> findings, boolean valid) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode report = mapper.createObjectNode();
    report.put("valid", valid);
    ArrayNode files = report.putArray("files");
    documents.forEach(document -> files.add(document.source()));
    ArrayNode list = report.putArray("findings");
    for (Finding finding : findings) {
      list.addObject()
          .put("file", finding.source())
          .put("severity", finding.severity().name())
          .put("path", finding.path())
          .put("message", finding.message());
    }
    try {
      return mapper.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code text} or {@code json}, any case. */
  static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      try {
        return Format.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("expected text or json, not '" + value + "'");
      }
    }
  }
}

package io.orchestrion.server.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server ({@code target/orchestrion-server-all.jar}, built by {@code package}) as a
 * child process of the test JVM, run by the test's own JDK: {@code java -jar ... serve --port 0
 * <arguments>}. Each start writes the child's standard output and error to a new log file in {@code
 * logDirectory}; {@link #start()} returns once the banner names the port and {@code /health}
 * answers 200. {@link #kill()} sends SIGKILL (no shutdown hook runs), {@link #stop()} SIGTERM;
 * either can be followed by another {@link #start()} on the same data.
 */
public final class ChildServer implements AutoCloseable {
  private static final Pattern BANNER = Pattern.compile("Orchestrion is serving (http://\\S+/)");
  private static final Pattern LOG_ENTRY = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");
  // Generous: on a shared 2-core machine under heavy load a JVM took a minute to load its plugins.
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Path jar;
  private final List<String> arguments;
  private final Map<String, String> environment;
  private final Path logDirectory;
  private final List<Path> logFiles = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread reaper = new Thread(this::destroyOnExit, "child-server-reaper");
  private volatile Optional<Process> process = Optional.empty();
  private Optional<URI> baseUri = Optional.empty();

  /**
   * @param arguments what follows {@code serve --port 0}, e.g. {@code --data-dir} and {@code
   *     --jdbc-url}
   * @param environment added to the child's environment, from which every inherited {@code
   *     ORCHESTRION_*} variable is removed
   */
  public ChildServer(
      Path jar, List<String> arguments, Map<String, String> environment, Path logDirectory) {
    this.jar = requireNonNull(jar, "jar is null");
    this.arguments = List.copyOf(arguments);
    this.environment = Map.copyOf(environment);
    this.logDirectory = requireNonNull(logDirectory, "logDirectory is null");
    // A test JVM that dies (a build timeout) must not leave a server running.
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * The server's runnable jar in the {@code target} directory of the module whose test classes hold
   * this class; {@code verify} builds it in {@code package}, before the integration tests.
   */
  public static Path packagedJar() {
    Path jar = targetDirectory().resolve("orchestrion-server-all.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "No server jar at "
              + jar
              + ": run the integration tests with 'bin/mvn -pl server -am verify' (package"
              + " builds it)");
    }
    return jar;
  }

  /** {@code server/target}: the parent of the test classes directory. */
  public static Path targetDirectory() {
    try {
      Path classes =
          Path.of(ChildServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return classes.getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the test classes", e);
    }
  }

  /** Starts the child and waits until it serves; fails with the log's tail when it does not. */
  public synchronized URI start() {
    if (process.isPresent() && process.get().isAlive()) {
      throw new IllegalStateException("The child server is already running");
    }
    Path log = logDirectory.resolve("child-" + (logFiles.size() + 1) + ".log");
    logFiles.add(log);
    Process started = launch(log);
    process = Optional.of(started);
    baseUri = Optional.empty();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    URI uri = awaitBanner(started, log, deadline);
    awaitHealth(started, log, uri, deadline);
    baseUri = Optional.of(uri);
    return uri;
  }

  /** The running child's address; empty while it is down. */
  public synchronized Optional<URI> baseUri() {
    return baseUri;
  }

  /** SIGKILL: the process dies at once, without shutdown hooks, mid-whatever it was doing. */
  public synchronized void kill() {
    Process running = running();
    running.destroyForcibly();
    awaitExit(running);
    baseUri = Optional.empty();
  }

  /** SIGTERM: the server's shutdown hook closes it cleanly. */
  public synchronized void stop() {
    Process running = running();
    running.destroy();
    if (!awaitExit(running)) {
      running.destroyForcibly();
      awaitExit(running);
    }
    baseUri = Optional.empty();
  }

  /** The log files of every start, oldest first. */
  public List<Path> logFiles() {
    return List.copyOf(logFiles);
  }

  /**
   * The log entries (lines that start with a time, as the server's log pattern writes them; not the
   * stack traces below them) of every start that contain {@code text}, each prefixed with its
   * file's name.
   */
  public List<String> logEntriesContaining(String text) {
    List<String> found = new ArrayList<>();
    for (Path file : logFiles) {
      for (String line : readLines(file)) {
        if (LOG_ENTRY.matcher(line).lookingAt() && line.contains(text)) {
          found.add(file.getFileName() + ": " + line);
        }
      }
    }
    return found;
  }

  @Override
  public synchronized void close() {
    process.filter(Process::isAlive).ifPresent(running -> stop());
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs and finds nothing alive.
    }
  }

  private void destroyOnExit() {
    process.filter(Process::isAlive).ifPresent(Process::destroyForcibly);
  }

  private Process launch(Path log) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseGet(ChildServer::javaFromHome));
    command.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 24) {
      // Netty probes sun.misc.Unsafe; JDK 24+ warns unless allowed (as bin/orchestrion does).
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-Xmx512m", "-Duser.timezone=UTC", "-jar", jar.toString()));
    command.addAll(List.of("serve", "--port", "0"));
    command.addAll(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().keySet().removeIf(name -> name.startsWith("ORCHESTRION_"));
    builder.environment().putAll(environment);
    try {
      Files.createDirectories(logDirectory);
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command, e);
    }
  }

  private static String javaFromHome() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private URI awaitBanner(Process started, Path log, long deadline) {
    while (System.nanoTime() < deadline) {
      Matcher matcher = BANNER.matcher(String.join("\n", readLines(log)));
      if (matcher.find()) {
        return URI.create(matcher.group(1));
      }
      if (!started.isAlive()) {
        throw failure("exited with " + started.exitValue() + " before serving", log);
      }
      pause(Duration.ofMillis(50));
    }
    started.destroyForcibly();
    throw failure("printed no banner within " + START_TIMEOUT, log);
  }

  private void awaitHealth(Process started, Path log, URI uri, long deadline) {
    HttpRequest request =
        HttpRequest.newBuilder(uri.resolve("/health")).timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline && started.isAlive()) {
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet: try again.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + uri, e);
      }
      pause(Duration.ofMillis(50));
    }
    started.destroyForcibly();
    throw failure("did not answer /health with 200 within " + START_TIMEOUT, log);
  }

  private Process running() {
    return process
        .filter(Process::isAlive)
        .orElseThrow(() -> new IllegalStateException("The child server is not running"));
  }

  private static boolean awaitExit(Process running) {
    try {
      return running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the child to exit", e);
    }
  }

  private static IllegalStateException failure(String what, Path log) {
    List<String> lines = readLines(log);
    List<String> tail = lines.subList(Math.max(0, lines.size() - 40), lines.size());
    return new IllegalStateException(
        "The child server " + what + "; end of " + log + ":\n" + String.join("\n", tail));
  }

  private static List<String> readLines(Path file) {
    try {
      // Lenient decoding: the child may be half-way through writing a character.
      return Files.exists(file)
          ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList()
          : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }
}

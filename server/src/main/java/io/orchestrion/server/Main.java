package io.orchestrion.server;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.AccessService;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineActors;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.server.demo.DemoRunner;
import io.orchestrion.server.http.JwtKeys;
import io.orchestrion.server.http.JwtTokens;
import io.orchestrion.spi.directory.User;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code orchestrion [serve] [options]} runs the server; {@code orchestrion demo} (or {@code serve
 * --demo}) also loads the example definitions, submits an expense and prints the run's progress;
 * {@code orchestrion token --user <id>} prints a bearer token for a user; {@code orchestrion
 * validate FILE...} checks definitions offline ({@link ValidateCommand}). Without a sub-command,
 * {@code serve} is assumed.
 */
@Command(
    name = "orchestrion",
    mixinStandardHelpOptions = true,
    version = "Orchestrion 0.1.0-SNAPSHOT",
    description = "Approval-orchestration engine: HTTP server and demo.",
    subcommands = {Main.Serve.class, Main.Demo.class, Main.Token.class, ValidateCommand.class})
public final class Main implements Callable<Integer> {
  private static final Duration DEMO_TIMEOUT = Duration.ofSeconds(60);

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> environment;

  @CommandLine.Mixin ServerOptions options = new ServerOptions();

  private Main(PrintStream out, PrintStream err, Map<String, String> environment) {
    this.out = out;
    this.err = err;
    this.environment = environment;
  }

  public static void main(String[] args) {
    // Logback prints its whole configuration status to stderr when the configuration has a
    // warning (the unused one of the two appenders of logback.xml); only its errors are news.
    if (System.getProperty("logback.statusListenerClass") == null) {
      System.setProperty(
          "logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
    }
    int exitCode = execute(args, System.out, System.err, System.getenv());
    System.exit(exitCode);
  }

  /**
   * Runs the command line and returns the exit code. Serving blocks until the process is stopped,
   * unless {@code --exit} is given (for tests and scripted demos).
   */
  public static int execute(
      String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
    Main main = new Main(out, err, environment);
    return new CommandLine(main, new Factory(main))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setExecutionExceptionHandler(
            (exception, commandLine, parseResult) -> {
              if (exception instanceof OrchestrionException) {
                err.println("orchestrion: " + exception.getMessage());
                return 1;
              }
              throw exception;
            })
        .execute(args);
  }

  @Override
  public Integer call() {
    return serve(options, false, false);
  }

  /** The settings every command takes; each overrides the config file and the environment. */
  static final class ServerOptions {
    @Option(names = "--config", description = "A .properties or .json config file.")
    Optional<Path> configFile = Optional.empty();

    @Option(names = "--host", description = "Bind address (default 127.0.0.1).")
    Optional<String> host = Optional.empty();

    @Option(names = "--port", description = "Port; 0 picks a free one (default 8080).")
    Optional<Integer> port = Optional.empty();

    @Option(
        names = "--data-dir",
        description = "Data directory: H2 database, JWT secret (default ./data).")
    Optional<Path> dataDirectory = Optional.empty();

    @Option(
        names = "--jdbc-url",
        description = "Use this database (e.g. PostgreSQL) instead of H2.")
    Optional<String> jdbcUrl = Optional.empty();

    @Option(names = "--jdbc-user", description = "Database user.")
    Optional<String> jdbcUser = Optional.empty();

    @Option(names = "--max-body-bytes", description = "Request body limit (default 1048576).")
    Optional<Long> maxBodyBytes = Optional.empty();

    @Option(
        names = "--plugin-dir",
        description = "Plugins, a sub-directory each (default: <data-dir>/plugins if present).")
    Optional<Path> pluginDirectory = Optional.empty();

    @Option(names = "--request-threads", description = "API requests at once (default 32).")
    Optional<Integer> requestThreads = Optional.empty();

    @Option(
        names = "--request-queue",
        description = "API requests waiting for a thread; 429 past it (default 256).")
    Optional<Integer> requestQueue = Optional.empty();

    @Option(
        names = "--evaluation-threads",
        description = "Requests running flows inline, at once (default: processors - 1).")
    Optional<Integer> evaluationThreads = Optional.empty();

    @Option(
        names = "--evaluation-queue",
        description = "Such requests waiting for a thread; 429 past it (default 16).")
    Optional<Integer> evaluationQueue = Optional.empty();

    @Option(
        names = "--synchronous-time-budget",
        description = "Time budget of synchronous steps in a request, ISO-8601 (default PT5S).")
    Optional<String> synchronousTimeBudget = Optional.empty();

    @Option(names = "--max-pool-size", description = "Database connections (default 16).")
    Optional<Integer> maxPoolSize = Optional.empty();

    @Option(
        names = "--worker-concurrency",
        description = "Asynchronous segments run at once on this node (default 8).")
    Optional<Integer> workerConcurrency = Optional.empty();

    @Option(
        names = "--lease-duration",
        description = "How long a claimed job stays claimed, ISO-8601 (default PT30S).")
    Optional<String> leaseDuration = Optional.empty();

    @Option(
        names = "--poll-interval",
        description = "How often to look for due jobs, ISO-8601 (default PT0.5S).")
    Optional<String> pollInterval = Optional.empty();

    Map<ServerSetting, String> flags() {
      Map<ServerSetting, String> flags = new EnumMap<>(ServerSetting.class);
      host.ifPresent(value -> flags.put(ServerSetting.HOST, value));
      port.ifPresent(value -> flags.put(ServerSetting.PORT, value.toString()));
      dataDirectory.ifPresent(value -> flags.put(ServerSetting.DATA_DIRECTORY, value.toString()));
      jdbcUrl.ifPresent(value -> flags.put(ServerSetting.JDBC_URL, value));
      jdbcUser.ifPresent(value -> flags.put(ServerSetting.JDBC_USER, value));
      maxBodyBytes.ifPresent(value -> flags.put(ServerSetting.MAX_BODY_BYTES, value.toString()));
      pluginDirectory.ifPresent(
          value -> flags.put(ServerSetting.PLUGIN_DIRECTORY, value.toString()));
      requestThreads.ifPresent(value -> flags.put(ServerSetting.REQUEST_THREADS, value.toString()));
      requestQueue.ifPresent(value -> flags.put(ServerSetting.REQUEST_QUEUE, value.toString()));
      evaluationThreads.ifPresent(
          value -> flags.put(ServerSetting.EVALUATION_THREADS, value.toString()));
      evaluationQueue.ifPresent(
          value -> flags.put(ServerSetting.EVALUATION_QUEUE, value.toString()));
      synchronousTimeBudget.ifPresent(
          value -> flags.put(ServerSetting.SYNCHRONOUS_TIME_BUDGET, value));
      maxPoolSize.ifPresent(value -> flags.put(ServerSetting.MAX_POOL_SIZE, value.toString()));
      workerConcurrency.ifPresent(
          value -> flags.put(ServerSetting.WORKER_CONCURRENCY, value.toString()));
      leaseDuration.ifPresent(value -> flags.put(ServerSetting.LEASE_DURATION, value));
      pollInterval.ifPresent(value -> flags.put(ServerSetting.POLL_INTERVAL, value));
      return flags;
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the HTTP server.")
  static final class Serve implements Callable<Integer> {
    private final Main main;

    @CommandLine.Mixin ServerOptions options = new ServerOptions();

    @Option(names = "--demo", description = "Load the demo definitions and run one submission.")
    boolean demo;

    @Option(
        names = "--exit",
        description = "Stop after start-up (and the demo) instead of serving.")
    boolean exit;

    Serve(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() {
      return main.serve(options, demo, exit);
    }
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description = "Same as 'serve --demo': run the demo, then keep serving.")
  static final class Demo implements Callable<Integer> {
    private final Main main;

    @CommandLine.Mixin ServerOptions options = new ServerOptions();

    @Option(names = "--exit", description = "Stop after the demo instead of serving.")
    boolean exit;

    Demo(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() {
      return main.serve(options, true, exit);
    }
  }

  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      description =
          "Print a bearer token (JWT) for an active user, signed with the configured key. Opens"
              + " the configured database to check the user; when a server runs on the embedded H2"
              + " database of the data directory, asks that server (same --config, --port) instead.")
  static final class Token implements Callable<Integer> {
    private final Main main;

    @CommandLine.Mixin ServerOptions options = new ServerOptions();

    @Option(names = "--user", required = true, description = "The user id (the token's sub).")
    String userId;

    @Option(
        names = "--ttl",
        description = "Lifetime as an ISO-8601 duration (default PT8H).",
        defaultValue = "PT8H")
    Duration lifetime;

    Token(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() {
      return main.token(options, userId, lifetime);
    }
  }

  private int token(ServerOptions options, String userId, Duration lifetime) {
    ServerConfig config = ServerConfigLoader.load(options.configFile, environment, options.flags());
    JwtKeys keys = JwtKeys.resolve(config);
    Vertx vertx = Vertx.vertx();
    try {
      JwtTokens tokens = new JwtTokens(vertx, keys, config.maxTokenLifetime(), Clock.systemUTC());
      tokens.requireLifetime(lifetime);
      tokens.requireCanMint();
      if (config.jdbcUrl().isEmpty() && EmbeddedDatabase.inUse(config.dataDirectory())) {
        // A running server holds H2's file lock: it checks the user instead of the database.
        RunningServer.requireSignInUser(config, tokens, userId);
      } else {
        requireSignInUser(config, userId);
      }
      out.println(tokens.mint(userId, Instant.now(), lifetime));
    } finally {
      vertx.close();
    }
    return 0;
  }

  /** Refuses a user the server would refuse: unknown, inactive or the automated process user. */
  private static void requireSignInUser(ServerConfig config, String userId) {
    DatabaseConfig database = OrchestrionServer.databaseConfig(config);
    try {
      checkUserInDatabase(database, userId);
    } catch (OrchestrionException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new OrchestrionException(
          StandardErrorCode.EXTERNAL_ERROR,
          "cannot check user '"
              + userId
              + "' in the database "
              + database.jdbcUrl()
              + ": "
              + rootMessage(e),
          e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static void checkUserInDatabase(DatabaseConfig database, String userId) {
    try (HikariDataSource dataSource = DataSources.create(database);
        OrchestrionEngine engine =
            OrchestrionEngine.create(
                EngineConfig.defaults(database).withStartWorkers(false),
                dataSource,
                Clock.systemUTC())) {
      engine.start();
      User user =
          engine
              .directory()
              .directory()
              .user(userId)
              .orElseThrow(
                  () ->
                      new OrchestrionException(
                          StandardErrorCode.NOT_FOUND,
                          "user '"
                              + userId
                              + "' does not exist; create it first (the built-in administrator"
                              + " is '"
                              + EngineActors.ADMIN
                              + "')"));
      AccessService.signInRefusal(user)
          .ifPresent(
              refusal -> {
                throw new OrchestrionException(StandardErrorCode.INVALID_REQUEST, refusal);
              });
    }
  }

  private int serve(ServerOptions options, boolean demo, boolean exit) {
    ServerConfig config = ServerConfigLoader.load(options.configFile, environment, options.flags());
    OrchestrionServer server = OrchestrionServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread shutdown =
        new Thread(
            () -> {
              server.close();
              stopped.countDown();
            },
            "orchestrion-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    try {
      int exitCode = 0;
      if (demo) {
        SubmissionView submission =
            new DemoRunner(
                    server.engine(),
                    OrchestrionJson.newObjectMapper(),
                    out,
                    server.tokens().canMint()
                        ? Optional.of(
                            userId ->
                                server
                                    .tokens()
                                    .mint(userId, Instant.now(), JwtTokens.DEFAULT_LIFETIME))
                        : Optional.empty())
                .run(DEMO_TIMEOUT);
        exitCode = submission.status() == SubmissionStatus.APPROVED ? 0 : 1;
        if (server.tokens().canMint()) {
          server.demoSignIn().enable(DemoRunner.people());
        }
      }
      printBanner(server, demo);
      if (exit) {
        Runtime.getRuntime().removeShutdownHook(shutdown);
        server.close();
        return exitCode;
      }
      stopped.await();
      return exitCode;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(shutdown);
      server.close();
      throw e;
    }
  }

  private void printBanner(OrchestrionServer server, boolean demo) {
    JwtKeys keys = server.tokens().keys();
    out.println();
    out.println(
        "Orchestrion is serving "
            + server.baseUri()
            + " (API under /api/v1, spec at /openapi.yaml)");
    switch (keys.source()) {
      case GENERATED ->
          out.println(
              "A new JWT secret was generated and stored in "
                  + keys.file().map(Path::toString).orElse("the data directory"));
      case STORED ->
          out.println(
              "Tokens are signed with the JWT secret in "
                  + keys.file().map(Path::toString).orElse("the data directory"));
      case CONFIGURED -> out.println("Tokens are verified with the configured " + keys.algorithm());
    }
    if (!demo) {
      out.println(
          "Get a token: bin/orchestrion token --user "
              + EngineActors.ADMIN
              + " (works while the server runs), or POST /api/v1/tokens");
    }
    out.println(
        "Try: curl -H 'Authorization: Bearer <token>' " + server.baseUri() + "api/v1/object-types");
    out.println(
        "Console: "
            + server.baseUri()
            + "console/"
            + (demo && server.tokens().canMint()
                ? " (one-click sign-in as each demo user)"
                : " (sign in with a bearer token)"));
  }

  /** Hands the sub-commands their parent, for its output stream and environment. */
  private record Factory(Main main) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == Serve.class) {
        return type.cast(new Serve(main));
      }
      if (type == Demo.class) {
        return type.cast(new Demo(main));
      }
      if (type == Token.class) {
        return type.cast(new Token(main));
      }
      if (type == ValidateCommand.class) {
        return type.cast(new ValidateCommand(main.out, main.err, main.environment));
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}

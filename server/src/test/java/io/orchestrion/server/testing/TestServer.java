package io.orchestrion.server.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineActors;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.server.OrchestrionServer;
import io.orchestrion.server.ServerConfig;
import io.orchestrion.spi.directory.User;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The real server on a free port of the loopback interface, over a database of its own: the
 * embedded H2 file database in a temporary data directory (the production path), or a fresh
 * database in the embedded PostgreSQL server. Closing it stops the server and deletes both.
 */
public final class TestServer implements AutoCloseable {
  public static final String JWT_SECRET = "a-test-server-secret-of-32-characters";

  /** The lifetime of the tokens the harness mints: long enough for any test. */
  public static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

  private final OrchestrionServer server;
  private final Optional<TestDatabase> database;
  private final Path dataDirectory;
  private final Optional<HikariDataSource> ownedDataSource;

  private TestServer(
      OrchestrionServer server, Optional<TestDatabase> database, Path dataDirectory) {
    this(server, database, dataDirectory, Optional.empty());
  }

  private TestServer(
      OrchestrionServer server,
      Optional<TestDatabase> database,
      Path dataDirectory,
      Optional<HikariDataSource> ownedDataSource) {
    this.server = server;
    this.database = database;
    this.dataDirectory = dataDirectory;
    this.ownedDataSource = ownedDataSource;
  }

  /**
   * The server on the embedded H2 file database with its configuration adjusted by {@code
   * configure} and its data source wrapped by {@code wrap} (a {@link SlowDataSource}, say).
   */
  public static TestServer startH2(
      UnaryOperator<ServerConfig> configure, UnaryOperator<DataSource> wrap) {
    Path dataDirectory = createTempDirectory();
    ServerConfig config =
        configure.apply(
            ServerConfig.defaults()
                .withPort(0)
                .withDataDirectory(dataDirectory)
                .withJwtSecret(JWT_SECRET));
    DatabaseConfig databaseConfig = OrchestrionServer.databaseConfig(config);
    HikariDataSource dataSource = DataSources.create(databaseConfig);
    try {
      OrchestrionServer server =
          OrchestrionServer.start(config, databaseConfig, wrap.apply(dataSource));
      return new TestServer(server, Optional.empty(), dataDirectory, Optional.of(dataSource));
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  public static TestServer start(TestDatabaseKind kind) {
    Path dataDirectory = createTempDirectory();
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withDataDirectory(dataDirectory)
            .withJwtSecret(JWT_SECRET);
    if (kind == TestDatabaseKind.H2) {
      return new TestServer(OrchestrionServer.start(config), Optional.empty(), dataDirectory);
    }
    TestDatabase database = TestDatabases.create(kind);
    try {
      OrchestrionServer server =
          OrchestrionServer.start(
              config,
              new DatabaseConfig(database.jdbcUrl(), "postgres", "", 8),
              database.dataSource());
      return new TestServer(server, Optional.of(database), dataDirectory);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  public OrchestrionServer server() {
    return server;
  }

  /** A client acting as the built-in administrator {@code admin} (every system permission). */
  public ApiClient client() {
    return clientAs(EngineActors.ADMIN);
  }

  /** A client sending a fresh token for {@code userId} (who must exist for it to be accepted). */
  public ApiClient clientAs(String userId) {
    return new ApiClient(server.baseUri(), Optional.of(token(userId)));
  }

  /** A valid token for {@code userId}, signed with the server's secret. */
  public String token(String userId) {
    return server.tokens().mint(userId, Instant.now(), TOKEN_LIFETIME);
  }

  /** Creates (or replaces) an active user and assigns them the given permission sets. */
  public User createUser(User user, String... permissionSetIds) {
    User saved = server.engine().directory().saveUser(user);
    for (String setId : permissionSetIds) {
      server.engine().directory().assign(user.id(), setId);
    }
    return saved;
  }

  /** The engine's directory, to create roles, groups, queues and permission sets. */
  public DirectoryService directory() {
    return server.engine().directory();
  }

  /** A client that sends no token. */
  public ApiClient anonymousClient() {
    return new ApiClient(server.baseUri(), Optional.empty());
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      ownedDataSource.ifPresent(HikariDataSource::close);
      database.ifPresent(TestDatabase::close);
      deleteRecursively(dataDirectory);
    }
  }

  private static Path createTempDirectory() {
    try {
      return Files.createTempDirectory("orchestrion-server-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

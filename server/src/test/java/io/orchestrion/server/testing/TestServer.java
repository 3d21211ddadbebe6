package io.orchestrion.server.testing;

import io.orchestrion.engine.persistence.DatabaseConfig;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.server.OrchestrionServer;
import io.orchestrion.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The real server on a free port of the loopback interface, over a database of its own: the
 * embedded H2 file database in a temporary data directory (the production path), or a fresh
 * database in the embedded PostgreSQL server. Closing it stops the server and deletes both.
 */
public final class TestServer implements AutoCloseable {
  public static final String TOKEN = "test-token-0123456789abcdef";

  private final OrchestrionServer server;
  private final Optional<TestDatabase> database;
  private final Path dataDirectory;

  private TestServer(
      OrchestrionServer server, Optional<TestDatabase> database, Path dataDirectory) {
    this.server = server;
    this.database = database;
    this.dataDirectory = dataDirectory;
  }

  public static TestServer start(TestDatabaseKind kind) {
    Path dataDirectory = createTempDirectory();
    ServerConfig config =
        ServerConfig.defaults().withPort(0).withDataDirectory(dataDirectory).withApiToken(TOKEN);
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

  /** A client that sends the API token. */
  public ApiClient client() {
    return new ApiClient(server.baseUri(), Optional.of(TOKEN));
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

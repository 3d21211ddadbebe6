package io.orchestrion.server.crash;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The crash test on a fresh database of the embedded PostgreSQL server, which runs in the test JVM
 * (so it outlives the killed children); the child connects to it by JDBC URL.
 */
class CrashPostgresIT extends CrashContract {
  private Optional<TestDatabase> database = Optional.empty();

  @Override
  String databaseName() {
    return "postgresql";
  }

  @Override
  List<String> serverArguments(Path dataDirectory) {
    TestDatabase created = TestDatabases.postgres();
    database = Optional.of(created);
    return List.of(
        "--data-dir",
        dataDirectory.toString(),
        "--jdbc-url",
        created.jdbcUrl(),
        "--jdbc-user",
        "postgres");
  }

  @Override
  void dropDatabase() {
    database.ifPresent(TestDatabase::close);
    database = Optional.empty();
  }
}

package io.orchestrion.server.crash;

import java.nio.file.Path;
import java.util.List;

/** The crash test on the embedded H2 file database of the child's data directory. */
class CrashH2IT extends CrashContract {
  @Override
  String databaseName() {
    return "h2";
  }

  @Override
  List<String> serverArguments(Path dataDirectory) {
    return List.of("--data-dir", dataDirectory.toString());
  }

  @Override
  void dropDatabase() {
    // The database is a file in the data directory under target/crash, kept for inspection.
  }
}

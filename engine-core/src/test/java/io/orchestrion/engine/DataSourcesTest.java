package io.orchestrion.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.SharingModel;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.Migrations;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.engine.testing.TestingClock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {
  @TempDir Path dataDirectory;

  @Test
  void h2FileDatabaseKeepsItsDataAcrossRestarts() {
    DatabaseConfig config = DataSources.h2File(dataDirectory);
    assertThat(config.jdbcUrl())
        .startsWith("jdbc:h2:file:" + dataDirectory.toAbsolutePath().toString().replace('\\', '/'))
        .contains(
            "DB_CLOSE_ON_EXIT=FALSE",
            "LOCK_TIMEOUT=10000",
            "WRITE_DELAY=0",
            "QUERY_CACHE_SIZE=128");
    ObjectTypeDefinition note =
        new ObjectTypeDefinition(
            "Note", SharingModel.PRIVATE, List.of(FieldDefinition.of("Text", DataType.TEXT)));

    try (HikariDataSource dataSource = DataSources.create(config)) {
      Database database = new Database(dataSource);
      assertThat(database.dialect()).isEqualTo(Dialect.H2);
      Migrations.migrate(dataSource, database.dialect());
      new ObjectTypeStore(database, new TestingClock()).define(note);
    }

    try (HikariDataSource dataSource = DataSources.create(config)) {
      Migrations.migrate(dataSource, Dialect.H2);
      assertThat(new ObjectTypeStore(new Database(dataSource), new TestingClock()).find("Note"))
          .contains(note);
    }
    assertThat(dataDirectory.resolve("orchestrion.mv.db")).exists();
  }

  @Test
  void aUrlNoDriverAcceptsNamesTheDriversToAdd() {
    // engine-core ships no JDBC driver (H2 and pgjdbc are test dependencies only).
    assertThatThrownBy(
            () -> DataSources.create(new DatabaseConfig("jdbc:nosuchdb://db/x", "", "", 2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'jdbc:nosuchdb:...'")
        .hasMessageContaining("com.h2database:h2")
        .hasMessageContaining("org.postgresql:postgresql");
  }

  @Test
  void refusesUnsupportedDatabases() {
    assertThat(Dialect.fromProductName("PostgreSQL")).isEqualTo(Dialect.POSTGRESQL);
    assertThatThrownBy(() -> Dialect.fromProductName("MySQL"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("'MySQL'");
  }

  @Test
  void configNeverPrintsThePassword() {
    DatabaseConfig config = new DatabaseConfig("jdbc:postgresql://db/x", "app", "secret", 4);

    assertThat(config.toString()).contains("app").doesNotContain("secret");
    assertThatThrownBy(() -> new DatabaseConfig("postgres://db", "", "", 4))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {
  @TempDir Path dataDirectory;

  @Test
  void h2FileDatabaseKeepsItsDataAcrossRestarts() throws Exception {
    DatabaseConfig config = DataSources.h2File(dataDirectory);
    assertThat(config.jdbcUrl())
        .startsWith("jdbc:h2:file:" + dataDirectory.toAbsolutePath().toString().replace('\\', '/'))
        .contains(
            "DB_CLOSE_ON_EXIT=FALSE",
            "LOCK_TIMEOUT=10000",
            "WRITE_DELAY=" + Integer.MAX_VALUE,
            "AUTO_COMPACT_FILL_RATE=0",
            "QUERY_CACHE_SIZE=128",
            "MAX_LENGTH_INPLACE_LOB=16384");
    ObjectTypeDefinition note =
        new ObjectTypeDefinition(
            "Note", SharingModel.PRIVATE, List.of(FieldDefinition.of("Text", DataType.TEXT)));

    try (HikariDataSource dataSource = DataSources.create(config)) {
      Database database = new Database(dataSource);
      assertThat(database.dialect()).isEqualTo(Dialect.H2);
      Migrations.migrate(dataSource, database.dialect());
      new ObjectTypeStore(database, new TestingClock()).define(note);
      // The database took the URL's settings, not only the URL's text.
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement();
          ResultSet settings =
              statement.executeQuery(
                  "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                      + " WHERE SETTING_NAME IN ('MAX_LENGTH_INPLACE_LOB', 'QUERY_CACHE_SIZE',"
                      + " 'WRITE_DELAY')")) {
        Map<String, String> values = new HashMap<>();
        while (settings.next()) {
          values.put(settings.getString(1), settings.getString(2));
        }
        assertThat(values)
            .containsEntry("MAX_LENGTH_INPLACE_LOB", "16384")
            .containsEntry("QUERY_CACHE_SIZE", "128")
            .containsEntry("WRITE_DELAY", Integer.toString(Integer.MAX_VALUE));
      }
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

package io.orchestrion.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

class SelectedColumnsTest {
  @Property
  void everyColumnIsAtItsPlaceInTheList(
      @ForAll @Size(min = 1, max = 30) @UniqueElements
          List<@AlphaChars @StringLength(min = 1, max = 12) String> words) {
    List<String> names = words.stream().map(word -> "c_" + word.toLowerCase()).distinct().toList();
    SelectedColumns columns = SelectedColumns.of(String.join(", ", names));
    assertThat(columns.count()).isEqualTo(names.size());
    for (int i = 0; i < names.size(); i++) {
      assertThat(columns.at(names.get(i))).isEqualTo(i + 1);
    }
  }

  @Test
  void positionsAreTheOnesTheDatabaseGivesTheSameLabels() throws Exception {
    String list = "id, status,  created_at,revision";
    SelectedColumns columns = SelectedColumns.of(list);
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:selected-columns");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE t (revision INT, created_at INT, status VARCHAR(9), id VARCHAR(9))");
      statement.execute("INSERT INTO t VALUES (4, 3, 'two', 'one')");
      try (ResultSet rs = statement.executeQuery("SELECT " + list + " FROM t")) {
        assertThat(rs.next()).isTrue();
        for (String name : List.of("id", "status", "created_at", "revision")) {
          assertThat(rs.getString(columns.at(name))).isEqualTo(rs.getString(name));
        }
      }
    }
  }

  @Test
  void aColumnNotSelectedIsNamedInTheError() {
    SelectedColumns columns = SelectedColumns.of("id, status");
    assertThatThrownBy(() -> columns.at("revision"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("revision")
        .hasMessageContaining("[id, status]");
  }

  @Test
  void aListThatIsNotPlainColumnNamesIsRefusedWithTheOffendingItem() {
    assertThatThrownBy(() -> SelectedColumns.of("id, COUNT(*) AS n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'COUNT(*) AS n'");
    assertThatThrownBy(() -> SelectedColumns.of("id, , status"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("''");
    assertThatThrownBy(() -> SelectedColumns.of("id, status, id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id is selected twice");
  }
}

package io.orchestrion.engine.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordTablesTest {
  @Test
  void namesTablesAndColumnsInSnakeCase() {
    assertThat(RecordTables.tableName("Expense")).isEqualTo("rec_expense");
    assertThat(RecordTables.tableName("ExpenseReport")).isEqualTo("rec_expense_report");
    assertThat(RecordTables.tableName("Expense_Report")).isEqualTo("rec_expense_report");
    assertThat(RecordTables.columnName("HTTPStatus")).isEqualTo("f_http_status");
    assertThat(RecordTables.columnName("Line2")).isEqualTo("f_line2");
    assertThat(RecordTables.columnName("amountDue")).isEqualTo("f_amount_due");
  }

  @Test
  void mapsSystemFieldsToTheirColumns() {
    assertThat(RecordTables.columnName("Id")).isEqualTo("id");
    assertThat(RecordTables.columnName("OwnerId")).isEqualTo("owner_id");
    assertThat(RecordTables.columnName("LastModifiedDate")).isEqualTo("last_modified_date");
  }

  @Test
  void refusesNamesThatAreNotIdentifiers() {
    assertThat(RecordTables.isValidName("a" + "b".repeat(39))).isTrue();
    assertThat(RecordTables.isValidName("a" + "b".repeat(40))).isFalse();
    assertThat(RecordTables.isValidName("1abc")).isFalse();
    assertThat(RecordTables.isValidName("x; DROP TABLE object_types")).isFalse();
    assertThatThrownBy(() -> RecordTables.tableName("x\"y"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void escapesLikeWildcards() {
    assertThat(RecordSql.escapeLike("100%_a\\b")).isEqualTo("100\\%\\_a\\\\b");
  }
}

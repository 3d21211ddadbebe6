package io.orchestrion.engine.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SharingModel;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.engine.testing.TestingClock;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ObjectTypeStore} on each dialect. */
abstract class ObjectTypeServiceContract {
  private final TestingClock clock = new TestingClock();
  private TestDatabase testDatabase;
  private ObjectTypeStore objectTypes;

  protected abstract TestDatabaseKind kind();

  @BeforeEach
  void openDatabase() {
    testDatabase = TestDatabases.create(kind());
    objectTypes = new ObjectTypeStore(testDatabase.database(), clock);
  }

  @AfterEach
  void closeDatabase() {
    testDatabase.close();
  }

  @Test
  void definesTypeWithTableAndFindsIt() {
    ObjectTypeDefinition expense = expense();

    assertThat(objectTypes.define(expense)).isEqualTo(expense);

    assertThat(objectTypes.find("Expense")).contains(expense);
    assertThat(new ObjectTypeStore(testDatabase.database(), clock).find("Expense"))
        .contains(expense);
    assertThat(objectTypes.list()).containsExactly(expense);
    assertThat(objectTypes.find("Other")).isEmpty();
    assertThat(revision("Expense")).isEqualTo(1);
    assertThat(count("rec_expense")).isZero();
  }

  @Test
  void definingTheSameTypeAgainChangesNothing() {
    objectTypes.define(expense());

    objectTypes.define(expense());

    assertThat(revision("Expense")).isEqualTo(1);
  }

  @Test
  void addedFieldsBecomeColumns() {
    objectTypes.define(expense());
    List<FieldDefinition> fields = new ArrayList<>(expense().fields());
    fields.add(FieldDefinition.of("Notes", DataType.TEXT));
    fields.add(FieldDefinition.of("Paid", DataType.BOOLEAN));
    ObjectTypeDefinition changed =
        new ObjectTypeDefinition("Expense", SharingModel.PUBLIC_READ, fields);

    objectTypes.define(changed);

    assertThat(objectTypes.find("Expense")).contains(changed);
    assertThat(revision("Expense")).isEqualTo(2);
    RecordData inserted =
        testDatabase
            .database()
            .inTransaction(
                tx ->
                    new RecordStores(objectTypes)
                        .open(tx, clock.instant())
                        .insert(
                            "Expense",
                            Map.of("Title", "Taxi", "Amount", BigDecimal.TEN, "Notes", "late"),
                            "user-1"));
    assertThat(inserted.fields()).containsEntry("Notes", "late").containsEntry("Paid", null);
  }

  @Test
  void removingAFieldOrChangingItsTypeIsAConflictNamingTheFields() {
    objectTypes.define(expense());
    ObjectTypeDefinition changed =
        new ObjectTypeDefinition(
            "Expense",
            SharingModel.PRIVATE,
            List.of(
                required("Title", DataType.TEXT),
                new FieldDefinition(
                    "Amount", DataType.NUMBER, true, List.of(), Optional.empty(), Optional.empty()),
                new FieldDefinition(
                    "Risk", DataType.NUMBER, false, List.of(), Optional.empty(), Optional.of(2))));

    assertThatThrownBy(() -> objectTypes.define(changed))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.CONFLICT.toErrorCode());
              assertThat(e.getProblems())
                  .extracting(Problem::path)
                  .containsExactlyInAnyOrder("$.fields[1].type", "$.fields[2].scale", "$.fields");
              assertThat(e.getMessage())
                  .contains("'Amount'", "CURRENCY to NUMBER", "'Risk'", "'Status'");
            });
    assertThat(objectTypes.find("Expense")).contains(expense());
  }

  @Test
  void reportsEveryProblemOfAnInvalidDefinitionAtOnce() {
    ObjectTypeDefinition invalid =
        new ObjectTypeDefinition(
            "Bad",
            SharingModel.PRIVATE,
            List.of(
                FieldDefinition.of("Title", DataType.TEXT),
                FieldDefinition.of("Title", DataType.NUMBER),
                FieldDefinition.of("OwnerId", DataType.USER),
                FieldDefinition.of("1st", DataType.TEXT),
                FieldDefinition.of("Whole", DataType.RECORD),
                FieldDefinition.of("Choice", DataType.PICKLIST),
                FieldDefinition.of("Parent", DataType.LOOKUP),
                new FieldDefinition(
                    "Flag", DataType.BOOLEAN, false, List.of(), Optional.empty(), Optional.of(2))));

    assertThatThrownBy(() -> objectTypes.define(invalid))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode())
                  .isEqualTo(StandardErrorCode.INVALID_DEFINITION.toErrorCode());
              assertThat(e.getProblems())
                  .extracting(Problem::path)
                  .containsExactly(
                      "$.fields[1].name",
                      "$.fields[2].name",
                      "$.fields[3].name",
                      "$.fields[4].type",
                      "$.fields[5].values",
                      "$.fields[6].objectType",
                      "$.fields[7].scale");
            });
    assertThat(objectTypes.find("Bad")).isEmpty();
  }

  @Test
  void refusesApiNamesThatAreNotIdentifiers() {
    ObjectTypeDefinition invalid =
        new ObjectTypeDefinition("rec; DROP TABLE x", SharingModel.PRIVATE, List.of());

    assertThatThrownBy(() -> objectTypes.define(invalid))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getProblems()).extracting(Problem::path).containsExactly("$.apiName"));
  }

  @Test
  void refusesATypeWhoseTableNameIsTaken() {
    objectTypes.define(new ObjectTypeDefinition("ExpenseItem", SharingModel.PRIVATE, List.of()));

    assertThatThrownBy(
            () ->
                objectTypes.define(
                    new ObjectTypeDefinition("Expense_Item", SharingModel.PRIVATE, List.of())))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.CONFLICT.toErrorCode());
              assertThat(e.getMessage()).contains("'Expense_Item'", "'ExpenseItem'");
            });
  }

  @Test
  void aStoreSeesFieldsAddedThroughAnotherNode() {
    ObjectTypeStore otherNode = new ObjectTypeStore(testDatabase.database(), clock);
    objectTypes.define(expense());
    assertThat(otherNode.find("Expense")).isPresent();
    List<FieldDefinition> fields = new ArrayList<>(expense().fields());
    fields.add(FieldDefinition.of("Notes", DataType.TEXT));
    objectTypes.define(new ObjectTypeDefinition("Expense", SharingModel.PRIVATE, fields));

    RecordData inserted =
        testDatabase
            .database()
            .inTransaction(
                tx ->
                    new RecordStores(otherNode)
                        .open(tx, clock.instant())
                        .insert(
                            "Expense",
                            Map.of("Title", "Taxi", "Amount", BigDecimal.ONE, "Notes", "new"),
                            "user-1"));

    assertThat(inserted.fields()).containsEntry("Notes", "new");
  }

  static ObjectTypeDefinition expense() {
    return new ObjectTypeDefinition(
        "Expense",
        SharingModel.PRIVATE,
        List.of(
            required("Title", DataType.TEXT),
            required("Amount", DataType.CURRENCY),
            new FieldDefinition(
                "Status",
                DataType.PICKLIST,
                false,
                List.of("Draft", "In Review"),
                Optional.empty(),
                Optional.empty()),
            FieldDefinition.of("Risk", DataType.NUMBER)));
  }

  private static FieldDefinition required(String name, DataType type) {
    return new FieldDefinition(name, type, true, List.of(), Optional.empty(), Optional.empty());
  }

  private int revision(String apiName) {
    return testDatabase
        .database()
        .inTransaction(
            tx -> {
              try (Statement statement = tx.connection().createStatement();
                  ResultSet rows =
                      statement.executeQuery(
                          "SELECT revision FROM object_types WHERE api_name = '" + apiName + "'")) {
                rows.next();
                return rows.getInt(1);
              }
            });
  }

  private int count(String table) {
    return testDatabase
        .database()
        .inTransaction(
            tx -> {
              try (Statement statement = tx.connection().createStatement();
                  ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rows.next();
                return rows.getInt(1);
              }
            });
  }
}

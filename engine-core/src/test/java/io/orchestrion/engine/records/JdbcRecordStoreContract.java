package io.orchestrion.engine.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.Operator;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SharingModel;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.engine.testing.TestingClock;
import io.orchestrion.spi.RecordQuery;
import io.orchestrion.spi.RecordQuery.Condition;
import io.orchestrion.spi.RecordQuery.Order;
import io.orchestrion.spi.RecordStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link JdbcRecordStore} on each dialect. */
abstract class JdbcRecordStoreContract {
  private static final String ACTOR = "user-1";

  private final TestingClock clock = new TestingClock();
  private TestDatabase testDatabase;
  private RecordStores stores;

  protected abstract TestDatabaseKind kind();

  @BeforeEach
  void openDatabase() {
    testDatabase = TestDatabases.create(kind());
    ObjectTypeStore objectTypes = new ObjectTypeStore(testDatabase.database(), clock);
    objectTypes.define(expense());
    stores = new RecordStores(objectTypes);
  }

  @AfterEach
  void closeDatabase() {
    testDatabase.close();
  }

  @Test
  void insertSetsSystemFieldsAndStoresValuesAsTheirTypes() {
    Instant submittedAt = Instant.parse("2025-01-14T08:00:00.123456789Z");

    RecordData inserted =
        inTransaction(
            store ->
                store.insert(
                    "Expense",
                    fields(
                        "Title", "Taxi",
                        "Amount", "12.345",
                        "Risk", 3,
                        "Paid", "true",
                        "DueDate", "2025-02-01",
                        "SubmittedAt", submittedAt,
                        "Approver", "user-2"),
                    ACTOR));

    assertThat(inserted.version()).isEqualTo(1);
    assertThat(inserted.id()).hasValueSatisfying(id -> assertThat(id).hasSize(36));
    assertThat(inserted.fields())
        .containsEntry(SystemFields.OWNER_ID, ACTOR)
        .containsEntry(SystemFields.CREATED_BY_ID, ACTOR)
        .containsEntry(SystemFields.CREATED_DATE, clock.instant())
        .containsEntry(SystemFields.LAST_MODIFIED_BY_ID, ACTOR)
        .containsEntry(SystemFields.LAST_MODIFIED_DATE, clock.instant())
        .containsEntry("Title", "Taxi")
        .containsEntry("Amount", new BigDecimal("12.35"))
        .containsEntry("Risk", new BigDecimal("3.000000"))
        .containsEntry("Paid", true)
        .containsEntry("DueDate", LocalDate.of(2025, 2, 1))
        .containsEntry("SubmittedAt", Instant.parse("2025-01-14T08:00:00.123456Z"))
        .containsEntry("Status", null);
    assertThat(find(inserted.id().orElseThrow())).contains(inserted);
  }

  @Test
  void ownerCanBeChosenOnInsert() {
    RecordData inserted =
        inTransaction(
            store ->
                store.insert(
                    "Expense",
                    fields("Title", "Taxi", "Amount", BigDecimal.ONE, "OwnerId", "user-9"),
                    ACTOR));

    assertThat(inserted.fields())
        .containsEntry(SystemFields.OWNER_ID, "user-9")
        .containsEntry(SystemFields.CREATED_BY_ID, ACTOR);
  }

  @Test
  void currencyIsRoundedHalfUpToItsScale() {
    assertThat(amountStoredFor(new BigDecimal("0.125"))).isEqualByComparingTo("0.13");
    assertThat(amountStoredFor(new BigDecimal("2.675"))).isEqualByComparingTo("2.68");
    assertThat(amountStoredFor(new BigDecimal("-2.675"))).isEqualByComparingTo("-2.68");
    assertThat(amountStoredFor(new BigDecimal("7"))).isEqualTo(new BigDecimal("7.00"));
  }

  @Test
  void insertReportsEveryBadValueNamingTypeFieldAndValue() {
    assertInvalid(
        () ->
            inTransaction(
                store ->
                    store.insert(
                        "Expense",
                        fields(
                            "Amount", "twelve",
                            "Status", "Bogus",
                            "Risk", 1.5d,
                            "Paid", "maybe",
                            "DueDate", "01/02/2025",
                            "Unknown", "x",
                            "Id", "my-id"),
                        ACTOR)),
        List.of(
            "$.Amount",
            "$.Status",
            "$.Risk",
            "$.Paid",
            "$.DueDate",
            "$.Unknown",
            "$.Id",
            "$.Title"),
        "'twelve'",
        "CURRENCY field 'Amount' of 'Expense'",
        "'Bogus'",
        "binary floating point",
        "no field 'Unknown'",
        "'Title' of 'Expense' is required");
  }

  @Test
  void refusesNumbersTooLargeForTheColumn() {
    assertInvalid(
        () ->
            inTransaction(
                store ->
                    store.insert(
                        "Expense",
                        fields("Title", "Big", "Amount", new BigDecimal("1e40")),
                        ACTOR)),
        List.of("$.Amount"),
        "more than 36 integer digits");
  }

  @Test
  void updateChangesFieldsAndBumpsVersion() {
    RecordData inserted = insert("Taxi", "10.00");
    Instant insertedAt = clock.instant();
    clock.advance(Duration.ofMinutes(5));

    RecordData updated =
        inTransaction(
            store ->
                store.update(
                    "Expense",
                    inserted.id().orElseThrow(),
                    1,
                    fields("Status", "In Review", "Amount", "11"),
                    "user-2"));

    assertThat(updated.version()).isEqualTo(2);
    assertThat(updated.fields())
        .containsEntry("Status", "In Review")
        .containsEntry("Amount", new BigDecimal("11.00"))
        .containsEntry("Title", "Taxi")
        .containsEntry(SystemFields.CREATED_DATE, insertedAt)
        .containsEntry(SystemFields.CREATED_BY_ID, ACTOR)
        .containsEntry(SystemFields.LAST_MODIFIED_BY_ID, "user-2")
        .containsEntry(SystemFields.LAST_MODIFIED_DATE, clock.instant());
    assertThat(find(inserted.id().orElseThrow())).contains(updated);
  }

  @Test
  void updateWithAStaleVersionIsAConflictNamingBothVersions() {
    RecordData inserted = insert("Taxi", "10.00");
    String id = inserted.id().orElseThrow();
    inTransaction(store -> store.update("Expense", id, 1, fields("Status", "Draft"), ACTOR));

    assertThatThrownBy(
            () ->
                inTransaction(
                    store -> store.update("Expense", id, 1, fields("Status", "In Review"), ACTOR)))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.STALE_VERSION.toErrorCode());
              assertThat(e.getMessage())
                  .contains("'" + id + "'", "'Expense'", "version 2", "expected version 1");
            });
    assertThat(find(id).orElseThrow().fields()).containsEntry("Status", "Draft");
  }

  @Test
  void updateOfAMissingRecordIsNotFound() {
    assertThatThrownBy(
            () ->
                inTransaction(
                    store -> store.update("Expense", "nope", 1, fields("Status", "Draft"), ACTOR)))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.NOT_FOUND.toErrorCode());
              assertThat(e.getMessage()).contains("'nope'", "'Expense'");
            });
  }

  @Test
  void updateRefusesClearingRequiredFields() {
    RecordData inserted = insert("Taxi", "10.00");

    assertInvalid(
        () ->
            inTransaction(
                store ->
                    store.update(
                        "Expense",
                        inserted.id().orElseThrow(),
                        1,
                        fields("Title", null, "OwnerId", null),
                        ACTOR)),
        List.of("$.Title", "$.OwnerId"),
        "'Title' of 'Expense' is required");
  }

  @Test
  void deleteChecksTheVersion() {
    String id = insert("Taxi", "10.00").id().orElseThrow();

    assertThatThrownBy(() -> inTransaction(store -> delete(store, id, 7)))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getErrorCode())
                    .isEqualTo(StandardErrorCode.STALE_VERSION.toErrorCode()));
    inTransaction(store -> delete(store, id, 1));
    assertThat(find(id)).isEmpty();
    assertThatThrownBy(() -> inTransaction(store -> delete(store, id, 1)))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.NOT_FOUND.toErrorCode()));
  }

  @Test
  void unknownObjectTypeIsNotFound() {
    assertThatThrownBy(() -> inTransaction(store -> store.find("Invoice", "x")))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.NOT_FOUND.toErrorCode());
              assertThat(e.getMessage()).contains("'Invoice'");
            });
  }

  @Test
  void filtersWithEveryOperator() {
    insertFilterData();

    assertThat(titles(cond("Amount", Operator.EQUALS, 10))).containsExactly("A", "D");
    assertThat(titles(cond("Status", Operator.EQUALS, null))).containsExactly("D");
    assertThat(titles(cond("Status", Operator.NOT_EQUALS, "Draft"))).containsExactly("B", "C", "D");
    assertThat(titles(cond("Status", Operator.NOT_EQUALS, null))).containsExactly("A", "B", "C");
    assertThat(titles(cond("Amount", Operator.GREATER_THAN, "99.99"))).containsExactly("B");
    assertThat(titles(cond("Amount", Operator.GREATER_OR_EQUAL, new BigDecimal("99.99"))))
        .containsExactly("B", "C");
    assertThat(titles(cond("Amount", Operator.LESS_THAN, new BigDecimal("10.01"))))
        .containsExactly("A", "D");
    assertThat(titles(cond("Amount", Operator.LESS_OR_EQUAL, 10L))).containsExactly("A", "D");
    assertThat(titles(cond("DueDate", Operator.GREATER_THAN, LocalDate.of(2025, 1, 10))))
        .containsExactly("B");
    assertThat(titles(cond("Paid", Operator.EQUALS, true))).containsExactly("A");
    assertThat(titles(cond("OwnerId", Operator.EQUALS, "user-2"))).containsExactly("C");
    assertThat(
            titles(cond("SubmittedAt", Operator.LESS_THAN, Instant.parse("2025-01-02T00:00:00Z"))))
        .containsExactly("A");
  }

  @Test
  void textMatchingIsCaseSensitiveAndTreatsWildcardsAsText() {
    insertFilterData();

    assertThat(titles(cond("Category", Operator.CONTAINS, "axi"))).containsExactly("A", "D");
    assertThat(titles(cond("Category", Operator.CONTAINS, "Taxi"))).containsExactly("A");
    assertThat(titles(cond("Category", Operator.CONTAINS, "%"))).containsExactly("B");
    assertThat(titles(cond("Category", Operator.CONTAINS, "_"))).containsExactly("C");
    assertThat(titles(cond("Category", Operator.STARTS_WITH, "taxi"))).containsExactly("D");
    assertThat(titles(cond("Category", Operator.ENDS_WITH, "team"))).containsExactly("C");
  }

  @Test
  void oneSidedOperatorsTakeWhetherThePropertyMustHold() {
    insertFilterData();

    assertThat(titles(cond("Risk", Operator.IS_NULL, true))).containsExactly("C");
    assertThat(titles(cond("Risk", Operator.IS_NULL, false))).containsExactly("A", "B", "D");
    assertThat(titles(cond("Risk", Operator.IS_NULL, null))).containsExactly("C");
    assertThat(titles(cond("Paid", Operator.WAS_SET, true))).containsExactly("A", "B");
    assertThat(titles(cond("Paid", Operator.WAS_SET, false))).containsExactly("C", "D");
    assertThat(titles(cond("Notes", Operator.IS_BLANK, true))).containsExactly("B", "C");
    assertThat(titles(cond("Notes", Operator.IS_BLANK, false))).containsExactly("A", "D");
  }

  @Test
  void combinesFiltersWithAndOrOr() {
    insertFilterData();
    List<Condition> filters =
        List.of(cond("Status", Operator.EQUALS, "Draft"), cond("Risk", Operator.GREATER_THAN, 4));

    assertThat(titles(query(filters, false, List.of(), Optional.empty())))
        .containsExactly("A", "B");
    assertThat(
            titles(
                query(
                    List.of(
                        cond("Amount", Operator.EQUALS, 10),
                        cond("Category", Operator.STARTS_WITH, "taxi")),
                    true,
                    List.of(),
                    Optional.empty())))
        .containsExactly("D");
  }

  @Test
  void sortsByCodePointWithNullsLastAndLimits() {
    insertFilterData();

    assertThat(
            titlesInOrder(
                query(
                    List.of(),
                    true,
                    List.of(new Order("Amount", true), new Order("Category", false)),
                    Optional.empty())))
        .containsExactly("B", "C", "A", "D");
    assertThat(
            titlesInOrder(
                query(List.of(), true, List.of(new Order("Risk", false)), Optional.empty())))
        .containsExactly("A", "D", "B", "C");
    assertThat(
            titlesInOrder(query(List.of(), true, List.of(new Order("Risk", true)), Optional.of(2))))
        .containsExactly("B", "D");
    assertThat(titlesInOrder(query(List.of(), true, List.of(), Optional.of(0)))).isEmpty();
  }

  @Test
  void tiesAreBrokenById() {
    insertFilterData();

    List<RecordData> records =
        inTransaction(
            store ->
                store.query(
                    query(
                        List.of(cond("Amount", Operator.EQUALS, 10)),
                        true,
                        List.of(new Order("Amount", false)),
                        Optional.empty())));

    assertThat(records)
        .extracting(record -> record.id().orElseThrow())
        .isSortedAccordingTo(Comparator.naturalOrder())
        .hasSize(2);
  }

  @Test
  void returnsOnlySelectedFieldsAndTheId() {
    insertFilterData();

    List<RecordData> records =
        inTransaction(
            store ->
                store.query(
                    new RecordQuery(
                        "Expense",
                        List.of(cond("Title", Operator.EQUALS, "A")),
                        true,
                        List.of(),
                        Optional.empty(),
                        List.of("Title", "Amount"))));

    assertThat(records)
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.fields()).containsOnlyKeys("Id", "Title", "Amount");
              assertThat(record.version()).isEqualTo(1);
            });
  }

  @Test
  void refusesFiltersThatMakeNoSense() {
    insertFilterData();

    assertInvalid(
        () ->
            titles(
                query(
                    List.of(
                        cond("Amount", Operator.CONTAINS, "1"),
                        cond("Paid", Operator.GREATER_THAN, true),
                        cond("Status", Operator.IS_CHANGED, true),
                        cond("Nope", Operator.EQUALS, "x"),
                        cond("Amount", Operator.LESS_THAN, null),
                        cond("Amount", Operator.EQUALS, "ten")),
                    true,
                    List.of(new Order("Missing", false)),
                    Optional.of(-1))),
        List.of(
            "$.filters[0].operator",
            "$.filters[1].operator",
            "$.filters[2].operator",
            "$.filters[3].field",
            "$.filters[4].value",
            "$.filters[5].value",
            "$.orderBy[0].field",
            "$.limit"),
        "CONTAINS does not apply to CURRENCY field 'Amount'",
        "no field 'Nope'");
  }

  /**
   * A: Draft, 10.00, Risk 1, paid, due 2025-01-10, "Taxi to airport"; B: In Review, 250.50, Risk 5,
   * unpaid, due 2025-02-01, "Hotel 100%", Notes ""; C: 99.99, owned by user-2, "Dinner_team"; D: no
   * status, 10, Risk 3, "taxi home".
   */
  private void insertFilterData() {
    insert(
        fields(
            "Title",
            "A",
            "Amount",
            "10.00",
            "Status",
            "Draft",
            "Risk",
            1,
            "Paid",
            true,
            "DueDate",
            "2025-01-10",
            "Category",
            "Taxi to airport",
            "Notes",
            "n",
            "SubmittedAt",
            "2025-01-01T10:00:00Z"),
        ACTOR);
    insert(
        fields(
            "Title",
            "B",
            "Amount",
            "250.50",
            "Status",
            "In Review",
            "Risk",
            5,
            "Paid",
            false,
            "DueDate",
            "2025-02-01",
            "Category",
            "Hotel 100%",
            "Notes",
            "",
            "SubmittedAt",
            "2025-01-03T10:00:00+01:00"),
        ACTOR);
    insert(
        fields("Title", "C", "Amount", "99.99", "Status", "Approved", "Category", "Dinner_team"),
        "user-2");
    insert(
        fields("Title", "D", "Amount", 10, "Risk", 3, "Category", "taxi home", "Notes", "x"),
        ACTOR);
  }

  private static ObjectTypeDefinition expense() {
    return new ObjectTypeDefinition(
        "Expense",
        SharingModel.PRIVATE,
        List.of(
            new FieldDefinition(
                "Title", DataType.TEXT, true, List.of(), Optional.empty(), Optional.empty()),
            new FieldDefinition(
                "Amount", DataType.CURRENCY, true, List.of(), Optional.empty(), Optional.empty()),
            new FieldDefinition(
                "Status",
                DataType.PICKLIST,
                false,
                List.of("Draft", "In Review", "Approved"),
                Optional.empty(),
                Optional.empty()),
            FieldDefinition.of("Risk", DataType.NUMBER),
            FieldDefinition.of("Paid", DataType.BOOLEAN),
            FieldDefinition.of("DueDate", DataType.DATE),
            FieldDefinition.of("SubmittedAt", DataType.DATETIME),
            FieldDefinition.of("Approver", DataType.USER),
            FieldDefinition.of("Category", DataType.TEXT),
            FieldDefinition.of("Notes", DataType.TEXT),
            new FieldDefinition(
                "Parent",
                DataType.LOOKUP,
                false,
                List.of(),
                Optional.of("Expense"),
                Optional.empty())));
  }

  private <T> T inTransaction(Function<RecordStore, T> work) {
    return testDatabase
        .database()
        .inTransaction(tx -> work.apply(stores.open(tx, clock.instant())));
  }

  private static Void delete(RecordStore store, String id, long version) {
    store.delete("Expense", id, version);
    return null;
  }

  private RecordData insert(String title, String amount) {
    return insert(fields("Title", title, "Amount", amount), ACTOR);
  }

  private RecordData insert(Map<String, Object> fields, String actor) {
    return inTransaction(store -> store.insert("Expense", fields, actor));
  }

  private BigDecimal amountStoredFor(BigDecimal amount) {
    String id = insert(fields("Title", "x", "Amount", amount), ACTOR).id().orElseThrow();
    return (BigDecimal) find(id).orElseThrow().fields().get("Amount");
  }

  private Optional<RecordData> find(String id) {
    return inTransaction(store -> store.find("Expense", id));
  }

  private static Condition cond(String field, Operator operator, Object value) {
    return new Condition(field, operator, value);
  }

  private static RecordQuery query(
      List<Condition> filters, boolean matchAll, List<Order> orderBy, Optional<Integer> limit) {
    return new RecordQuery("Expense", filters, matchAll, orderBy, limit, List.of());
  }

  /** The titles of the records matching {@code condition}, sorted. */
  private List<String> titles(Condition condition) {
    return titles(query(List.of(condition), true, List.of(), Optional.empty()));
  }

  private List<String> titles(RecordQuery query) {
    return titlesInOrder(query).stream().sorted().toList();
  }

  private List<String> titlesInOrder(RecordQuery query) {
    return inTransaction(store -> store.query(query)).stream()
        .map(record -> (String) record.fields().get("Title"))
        .toList();
  }

  private static void assertInvalid(
      ThrowingCallable call, List<String> paths, String... messageParts) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode())
                  .isEqualTo(StandardErrorCode.INVALID_REQUEST.toErrorCode());
              assertThat(e.getProblems())
                  .extracting(Problem::path)
                  .containsExactlyInAnyOrderElementsOf(paths);
              assertThat(e.getProblems())
                  .extracting(Problem::message)
                  .allSatisfy(message -> assertThat(message).isNotBlank());
              String allMessages = e.getProblems().toString();
              assertThat(allMessages).contains(messageParts);
            });
  }

  /** A map allowing null values, in the order given. */
  private static Map<String, Object> fields(Object... namesAndValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return new HashMap<>(fields);
  }
}

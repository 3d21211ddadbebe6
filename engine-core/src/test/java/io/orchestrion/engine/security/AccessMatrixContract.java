package io.orchestrion.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SharingModel;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.engine.RecordShareService;
import io.orchestrion.engine.directory.JdbcDirectory;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.engine.records.RecordStores;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.engine.testing.TestingClock;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.RecordQuery;
import io.orchestrion.spi.RecordStore;
import io.orchestrion.spi.directory.FieldPermission;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.RecordShare;
import io.orchestrion.spi.directory.Role;
import io.orchestrion.spi.directory.ShareAccess;
import io.orchestrion.spi.directory.User;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The access matrix of issue #4 through the engine's own stores: {run mode} x {relation to the
 * record} x {operation}, with the expected outcome of every cell written out. Every cell runs in a
 * transaction that is rolled back, so cells do not see each other's writes.
 */
abstract class AccessMatrixContract {
  private static final String OWNER = "olga";
  private static final String ABOVE_OWNER = "manny";
  private static final String SHARED_USER = "sharon";
  private static final String GROUP_MEMBER = "gus";
  private static final String UNRELATED = "ursula";
  private static final String VIEW_ALL = "vera";

  private final TestingClock clock = new TestingClock();
  private TestDatabase testDatabase;
  private Database database;
  private RecordStores stores;
  private EngineSecurity security;
  private DirectoryService directory;
  private String recordId;

  protected abstract TestDatabaseKind kind();

  @BeforeEach
  void setUp() {
    testDatabase = TestDatabases.create(kind());
    database = testDatabase.database();
    ObjectTypeStore objectTypes = new ObjectTypeStore(database, clock);
    objectTypes.define(
        new ObjectTypeDefinition(
            "Expense",
            SharingModel.PRIVATE,
            List.of(
                FieldDefinition.of("Amount", DataType.NUMBER),
                FieldDefinition.of("Notes", DataType.TEXT),
                FieldDefinition.of("Secret", DataType.TEXT))));
    stores = new RecordStores(objectTypes);
    JdbcDirectory jdbcDirectory = new JdbcDirectory(database);
    security = new EngineSecurity(jdbcDirectory);
    directory =
        new DirectoryService(
            new UnitsOfWork(database, clock, stores, security, new WorkSignals()),
            jdbcDirectory,
            security,
            objectTypes);
    RecordShareService shares =
        new RecordShareService(
            new UnitsOfWork(database, clock, stores, security, new WorkSignals()),
            new ShareManagers(security, objectTypes));
    directory.ensureBuiltIns();
    directory.saveRole(new Role("manager", "Manager", Optional.empty()));
    directory.saveRole(new Role("clerk", "Clerk", Optional.of("manager")));
    directory.saveUser(User.of(OWNER, "Olga Owner").withRole("clerk"));
    directory.saveUser(User.of(ABOVE_OWNER, "Manny Manager").withRole("manager"));
    for (String user : List.of(SHARED_USER, GROUP_MEMBER, UNRELATED, VIEW_ALL)) {
      directory.saveUser(User.of(user, user));
    }
    directory.saveGroup(
        new PublicGroup("reviewers", "Reviewers", List.of(GroupMember.user(GROUP_MEMBER))));
    // Everybody may work with expenses and their Amount and Notes; nobody has field-level
    // access to Secret.
    directory.savePermissionSet(
        new PermissionSet(
            "expense-user",
            "Expense user",
            Map.of(
                "Expense",
                Set.of(
                    ObjectPermission.CREATE,
                    ObjectPermission.READ,
                    ObjectPermission.EDIT,
                    ObjectPermission.DELETE)),
            Map.of(
                "Expense",
                Map.of(
                    "Amount", Set.of(FieldPermission.EDIT), "Notes", Set.of(FieldPermission.EDIT))),
            Set.of()));
    for (String user :
        List.of(OWNER, ABOVE_OWNER, SHARED_USER, GROUP_MEMBER, UNRELATED, VIEW_ALL)) {
      directory.assign(user, "expense-user");
    }
    directory.savePermissionSet(
        new PermissionSet(
            "expense-view-all",
            "View all expenses",
            Map.of("Expense", Set.of(ObjectPermission.VIEW_ALL)),
            Map.of(),
            Set.of()));
    directory.assign(VIEW_ALL, "expense-view-all");
    recordId =
        database.inTransaction(
            tx ->
                stores
                    .open(tx, clock.instant())
                    .insert(
                        "Expense",
                        Map.of("Amount", 10, "Notes", "lunch", "Secret", "s3cr3t"),
                        OWNER)
                    .id()
                    .orElseThrow());
    shares.share(
        new RecordShare(
            "Expense", recordId, RecordShare.GranteeType.USER, SHARED_USER, ShareAccess.EDIT),
        "admin");
    shares.share(
        new RecordShare(
            "Expense", recordId, RecordShare.GranteeType.GROUP, "reviewers", ShareAccess.EDIT),
        "admin");
  }

  @AfterEach
  void tearDown() {
    testDatabase.close();
  }

  /** The operations of the matrix, in column order. */
  private static final List<String> OPERATIONS =
      List.of("get", "create", "update", "delete", "read Secret", "edit Secret");

  // Outcomes: SEES / HIDDEN (GetRecords returns the record or not), OK / DENIED
  // (INSUFFICIENT_ACCESS), READ / DROPPED (the field comes back or is dropped).
  private static final Map<String, List<String>> USER_MODE =
      expected(
          OWNER, "SEES OK OK OK DROPPED DENIED",
          ABOVE_OWNER, "SEES OK OK OK DROPPED DENIED",
          SHARED_USER, "SEES OK OK DENIED DROPPED DENIED",
          GROUP_MEMBER, "SEES OK OK DENIED DROPPED DENIED",
          UNRELATED, "HIDDEN OK DENIED DENIED DENIED DENIED",
          VIEW_ALL, "SEES OK DENIED DENIED DROPPED DENIED");

  private static final Map<String, List<String>> SYSTEM_WITH_SHARING =
      expected(
          OWNER, "SEES OK OK OK READ OK",
          ABOVE_OWNER, "SEES OK OK OK READ OK",
          SHARED_USER, "SEES OK OK DENIED READ OK",
          GROUP_MEMBER, "SEES OK OK DENIED READ OK",
          UNRELATED, "HIDDEN OK DENIED DENIED DENIED DENIED",
          VIEW_ALL, "SEES OK DENIED DENIED READ DENIED");

  private static final Map<String, List<String>> SYSTEM_WITHOUT_SHARING =
      expected(
          OWNER, "SEES OK OK OK READ OK",
          ABOVE_OWNER, "SEES OK OK OK READ OK",
          SHARED_USER, "SEES OK OK OK READ OK",
          GROUP_MEMBER, "SEES OK OK OK READ OK",
          UNRELATED, "SEES OK OK OK READ OK",
          VIEW_ALL, "SEES OK OK OK READ OK");

  private static Map<String, List<String>> expected(String... userThenOutcomes) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (int i = 0; i < userThenOutcomes.length; i += 2) {
      rows.put(userThenOutcomes[i], List.of(userThenOutcomes[i + 1].split(" ")));
    }
    return rows;
  }

  @Test
  void userMode() {
    assertMatrix(RunMode.USER, USER_MODE);
  }

  @Test
  void systemModeWithSharing() {
    assertMatrix(RunMode.SYSTEM_WITH_SHARING, SYSTEM_WITH_SHARING);
  }

  @Test
  void systemModeWithoutSharing() {
    assertMatrix(RunMode.SYSTEM_WITHOUT_SHARING, SYSTEM_WITHOUT_SHARING);
  }

  private void assertMatrix(RunMode mode, Map<String, List<String>> expected) {
    Map<String, List<String>> actual = new LinkedHashMap<>();
    for (String user : expected.keySet()) {
      List<String> row = new ArrayList<>();
      for (String operation : OPERATIONS) {
        row.add(cell(new SecurityContext(user, mode), operation));
      }
      actual.put(user, row);
    }
    assertThat(actual).as("mode %s, columns %s", mode, OPERATIONS).isEqualTo(expected);
  }

  private String cell(SecurityContext context, String operation) {
    try {
      database.inTransaction(
          tx -> {
            throw new RolledBack(run(tx, context, operation));
          });
      throw new AssertionError("unreachable");
    } catch (RolledBack rolledBack) {
      return rolledBack.outcome;
    }
  }

  private String run(Transaction tx, SecurityContext context, String operation) {
    RecordStore records = security.secured(tx, stores.open(tx, clock.instant()), context);
    try {
      return switch (operation) {
        case "get" ->
            records.query(RecordQuery.all("Expense")).stream()
                    .anyMatch(record -> record.id().orElseThrow().equals(recordId))
                ? "SEES"
                : "HIDDEN";
        case "create" -> {
          RecordData created = records.insert("Expense", Map.of("Amount", 1), context.userId());
          assertThat(created.fields())
              .containsEntry(SystemFields.CREATED_BY_ID, context.userId())
              .containsEntry(SystemFields.LAST_MODIFIED_BY_ID, context.userId());
          yield "OK";
        }
        case "update" -> {
          RecordData updated =
              records.update("Expense", recordId, 1, Map.of("Notes", "dinner"), context.userId());
          assertThat(updated.fields())
              .containsEntry(SystemFields.LAST_MODIFIED_BY_ID, context.userId());
          yield "OK";
        }
        case "delete" -> {
          records.delete("Expense", recordId, 1);
          yield "OK";
        }
        case "read Secret" -> {
          RecordData found = records.find("Expense", recordId).orElseThrow();
          yield found.fields().containsKey("Secret") ? "READ" : "DROPPED";
        }
        case "edit Secret" -> {
          records.update("Expense", recordId, 1, Map.of("Secret", "changed"), context.userId());
          yield "OK";
        }
        default -> throw new IllegalArgumentException(operation);
      };
    } catch (OrchestrionException e) {
      if (e.getErrorCode().equals(StandardErrorCode.INSUFFICIENT_ACCESS.toErrorCode())) {
        assertThat(e.getMessage())
            .contains("'" + context.userId() + "'")
            .contains("run mode " + context.effectiveMode())
            .contains("Expense");
        return "DENIED";
      }
      throw e;
    }
  }

  /** Carries a cell's outcome out of a transaction that must not commit. */
  private static final class RolledBack extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String outcome;

    RolledBack(String outcome) {
      super(outcome, null, false, false);
      this.outcome = outcome;
    }
  }
}

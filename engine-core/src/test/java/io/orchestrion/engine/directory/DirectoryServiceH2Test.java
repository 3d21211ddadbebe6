package io.orchestrion.engine.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.SharingModel;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.engine.RecordShareService;
import io.orchestrion.engine.api.Page;
import io.orchestrion.engine.approvals.DirectoryAssignees;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.engine.records.RecordStores;
import io.orchestrion.engine.security.ActorPermissions;
import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.engine.security.ShareManagers;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.engine.testing.TestingClock;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.security.DirectoryIndex;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.RecordShare;
import io.orchestrion.spi.directory.Role;
import io.orchestrion.spi.directory.ShareAccess;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectoryServiceH2Test {
  private final TestingClock clock = new TestingClock();
  private TestDatabase database;
  private JdbcDirectory directory;
  private EngineSecurity security;
  private DirectoryService service;
  private RecordShareService shares;
  private RecordStores stores;

  @BeforeEach
  void setUp() {
    database = TestDatabases.h2();
    ObjectTypeStore objectTypes = new ObjectTypeStore(database.database(), clock);
    objectTypes.define(new ObjectTypeDefinition("Expense", SharingModel.PRIVATE, List.of()));
    stores = new RecordStores(objectTypes);
    directory = new JdbcDirectory(database.database());
    security = new EngineSecurity(directory);
    service =
        new DirectoryService(
            new UnitsOfWork(database.database(), clock, stores, security, new WorkSignals()),
            directory,
            security,
            objectTypes);
    shares =
        new RecordShareService(
            new UnitsOfWork(database.database(), clock, stores, security, new WorkSignals()),
            new ShareManagers(security, objectTypes));
    service.ensureBuiltIns();
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  @Test
  void builtInsExistOnceAndTheAutomatedProcessUserCannotBeChanged() {
    service.ensureBuiltIns();

    User automated = directory.user("automated-process").orElseThrow();
    assertThat(automated.automatedProcess()).isTrue();
    assertThat(automated.active()).isTrue();
    assertThat(security.index().access("admin").permissions().systemPermissions())
        .containsExactlyInAnyOrder(SystemPermission.values());
    assertThatThrownBy(() -> service.saveUser(automated.withActive(false)))
        .hasMessageContaining("automated process user is built in");
    assertThatThrownBy(
            () ->
                service.saveUser(
                    new User(
                        "robot",
                        "robot",
                        "Robot",
                        Optional.empty(),
                        true,
                        Optional.empty(),
                        Optional.empty(),
                        true)))
        .hasMessageContaining("cannot be created");
  }

  @Test
  void everyChangeBumpsTheRevisionAndTheIndexFollows() {
    long before = directory.revision();
    DirectoryIndex first = security.index();

    service.saveRole(new Role("boss", "Boss", Optional.empty()));
    service.saveUser(User.of("bea", "Bea").withRole("boss"));

    assertThat(directory.revision()).isEqualTo(before + 2);
    assertThat(security.index()).isNotSameAs(first);
    assertThat(security.index().user("bea").orElseThrow().roleId()).contains("boss");
  }

  @Test
  void userReferencesAreValidatedWithPaths() {
    assertThatThrownBy(
            () -> service.saveUser(User.of("ann", "Ann").withRole("nope").withManager("ghost")))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getProblems())
                    .containsExactlyInAnyOrder(
                        new Problem("$.managerId", "manager 'ghost' does not exist"),
                        new Problem("$.roleId", "role 'nope' does not exist")));
    assertThatThrownBy(() -> service.saveUser(User.of("ann", "Ann").withManager("ann")))
        .hasMessageContaining("cannot manage themself");
  }

  @Test
  void usernamesAreUnique() {
    service.saveUser(User.of("ann", "Ann"));

    assertThatThrownBy(
            () ->
                service.saveUser(
                    new User(
                        "ann2",
                        "ann",
                        "Another Ann",
                        Optional.empty(),
                        true,
                        Optional.empty(),
                        Optional.empty(),
                        false)))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.CONFLICT.toErrorCode()))
        .hasMessageContaining("username 'ann' is already taken by user 'ann'");
  }

  @Test
  void roleCyclesAreRefused() {
    service.saveRole(new Role("a", "A", Optional.empty()));
    service.saveRole(new Role("b", "B", Optional.of("a")));

    assertThatThrownBy(() -> service.saveRole(new Role("a", "A", Optional.of("b"))))
        .hasMessageContaining("role 'b' is below role 'a'");
  }

  @Test
  void groupsAndQueuesValidateMembersAndShareOneIdSpace() {
    service.saveUser(User.of("ann", "Ann"));
    service.saveGroup(new PublicGroup("g", "G", List.of(GroupMember.user("ann"))));

    assertThatThrownBy(
            () ->
                service.saveGroup(
                    new PublicGroup(
                        "h", "H", List.of(GroupMember.user("ghost"), GroupMember.role("nope")))))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getProblems())
                    .containsExactly(
                        new Problem("$.members[0]", "user 'ghost' does not exist"),
                        new Problem("$.members[1]", "role 'nope' does not exist")));
    assertThatThrownBy(() -> service.saveQueue(new Queue("g", "G", List.of(), List.of())))
        .hasMessageContaining("id 'g' is taken by a group");
    assertThatThrownBy(() -> service.saveQueue(new Queue("q", "Q", List.of(), List.of("Invoice"))))
        .hasMessageContaining("object type 'Invoice' does not exist");
  }

  @Test
  void assigneesFollowTheDirectory() {
    service.saveUser(User.of("mgr", "Manager"));
    service.saveUser(User.of("ann", "Ann").withManager("mgr"));
    service.saveUser(User.of("old", "Old").withActive(false));
    service.saveGroup(new PublicGroup("g", "G", List.of(GroupMember.user("ann"))));
    service.saveQueue(
        new Queue("finance", "Finance", List.of(GroupMember.group("g")), List.of("Expense")));
    service.savePermissionSet(
        new PermissionSet(
            "approvers", "Approvers", Map.of(), Map.of(), Set.of(SystemPermission.APPROVAL_ADMIN)));
    service.assign("mgr", "approvers");
    service.assign("old", "approvers");
    DirectoryAssignees assignees = new DirectoryAssignees(security, directory);
    ActorPermissions permissions = new ActorPermissions(security);

    assertThat(assignees.managerOf("ann")).contains("mgr");
    assertThat(assignees.isActiveUser("old")).isFalse();
    assertThat(assignees.groupsOf("ann")).containsExactly("g");
    assertThat(assignees.queuesOf("ann")).containsExactly("finance");
    assertThat(assignees.queueExists("finance")).isTrue();
    assertThat(assignees.groupExists("finance")).isFalse();
    assertThat(permissions.isApprovalAdmin("mgr")).isTrue();
    assertThat(permissions.isApprovalAdmin("old")).as("inactive").isFalse();
    assertThat(permissions.mayManageRuns("admin")).isTrue();

    service.unassign("mgr", "approvers");
    assertThat(permissions.isApprovalAdmin("mgr")).isFalse();
  }

  @Test
  void sharesNeedAnExistingRecordAndGrantee() {
    service.saveUser(User.of("ann", "Ann"));
    String id =
        database
            .database()
            .inTransaction(
                tx -> stores.open(tx, clock.instant()).insert("Expense", Map.of(), "admin"))
            .id()
            .orElseThrow();

    shares.share(
        new RecordShare("Expense", id, RecordShare.GranteeType.USER, "ann", ShareAccess.READ),
        "admin");
    shares.share(
        new RecordShare("Expense", id, RecordShare.GranteeType.USER, "ann", ShareAccess.EDIT),
        "admin");

    assertThat(shares.shares("Expense", id))
        .containsExactly(
            new RecordShare("Expense", id, RecordShare.GranteeType.USER, "ann", ShareAccess.EDIT));
    assertThatThrownBy(
            () ->
                shares.share(
                    new RecordShare(
                        "Expense",
                        "missing",
                        RecordShare.GranteeType.USER,
                        "ann",
                        ShareAccess.READ),
                    "admin"))
        .hasMessageContaining("Record 'missing' of 'Expense' not found");
    assertThatThrownBy(
            () ->
                shares.share(
                    new RecordShare(
                        "Expense", id, RecordShare.GranteeType.GROUP, "ghosts", ShareAccess.READ),
                    "admin"))
        .hasMessageContaining("GROUP 'ghosts' does not exist");
    shares.unshare("Expense", id, RecordShare.GranteeType.USER, "ann");
    assertThat(shares.shares("Expense", id)).isEmpty();
  }

  @Test
  void sharesOnACallersBehalfNeedManageUsersOrFullAccessToTheRecord() {
    service.saveUser(User.of("ann", "Ann"));
    service.saveUser(User.of("bob", "Bob"));
    String adminsRecord =
        database
            .database()
            .inTransaction(
                tx -> stores.open(tx, clock.instant()).insert("Expense", Map.of(), "admin"))
            .id()
            .orElseThrow();
    String annsRecord =
        database
            .database()
            .inTransaction(
                tx -> stores.open(tx, clock.instant()).insert("Expense", Map.of(), "ann"))
            .id()
            .orElseThrow();
    SecurityContext admin = SecurityContext.of("admin", RunMode.USER);
    SecurityContext ann = SecurityContext.of("ann", RunMode.USER);
    RecordShare toBob =
        new RecordShare(
            "Expense", annsRecord, RecordShare.GranteeType.USER, "bob", ShareAccess.READ);

    // The owner manages the shares of her record; MANAGE_USERS manages every record's.
    shares.share(ann, toBob);
    assertThat(shares.shares(ann, "Expense", annsRecord)).containsExactly(toBob);
    assertThat(shares.shares(admin, "Expense", annsRecord)).containsExactly(toBob);
    // Someone else's record: PERMISSION_DENIED for reading, sharing and unsharing alike.
    for (var call :
        List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
            () -> shares.shares(ann, "Expense", adminsRecord),
            () ->
                shares.share(
                    ann,
                    new RecordShare(
                        "Expense",
                        adminsRecord,
                        RecordShare.GranteeType.USER,
                        "ann",
                        ShareAccess.EDIT)),
            () ->
                shares.unshare(
                    ann, "Expense", adminsRecord, RecordShare.GranteeType.USER, "bob"))) {
      assertThatThrownBy(call)
          .isInstanceOfSatisfying(
              OrchestrionException.class,
              e -> assertThat(e.getErrorCode().name()).isEqualTo("PERMISSION_DENIED"))
          .hasMessageContaining("user 'ann' needs MANAGE_USERS, ownership of record");
    }
    assertThat(shares.shares("Expense", adminsRecord)).isEmpty();
    // A record that does not exist is NOT_FOUND for everyone, before any permission question.
    assertThatThrownBy(() -> shares.shares(ann, "Expense", "missing"))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getErrorCode().name()).isEqualTo("NOT_FOUND"));
    shares.unshare(ann, "Expense", annsRecord, RecordShare.GranteeType.USER, "bob");
    assertThat(shares.shares("Expense", annsRecord)).isEmpty();
  }

  @Test
  void usersArePagedInIdOrderWithAnOpaqueCursor() {
    for (String id : List.of("carol", "bob", "ann")) {
      service.saveUser(User.of(id, id.toUpperCase(java.util.Locale.ROOT)));
    }

    Page<User> first = service.users(Optional.empty(), 2);
    assertThat(first.items()).extracting(User::id).containsExactly("admin", "ann");
    assertThat(first.nextCursor()).isPresent().get().asString().doesNotContain("ann");
    Page<User> second = service.users(first.nextCursor(), 2);
    assertThat(second.items()).extracting(User::id).containsExactly("automated-process", "bob");
    Page<User> last = service.users(second.nextCursor(), 2);
    assertThat(last.items()).extracting(User::id).containsExactly("carol");
    assertThat(last.nextCursor()).isEmpty();

    assertThatThrownBy(() -> service.users(Optional.of("***"), 2))
        .hasMessageContaining("invalid cursor '***'");
    assertThatThrownBy(() -> service.users(Optional.empty(), 0))
        .hasMessageContaining("limit must be between 1 and 500, not 0");
  }

  @Test
  void permissionSetIdsOfAUserFollowAssignments() {
    service.saveUser(User.of("ann", "Ann"));
    service.savePermissionSet(
        new PermissionSet("readers", "Readers", Map.of(), Map.of(), Set.of()));

    assertThat(service.permissionSetIdsOf("ann")).isEmpty();
    service.assign("ann", "readers");
    assertThat(service.permissionSetIdsOf("ann")).containsExactly("readers");
    assertThat(service.permissionSetIdsOf("admin"))
        .containsExactly(DirectoryService.ADMINISTRATOR_PERMISSION_SET_ID);
    service.unassign("ann", "readers");
    assertThat(service.permissionSetIdsOf("ann")).isEmpty();
  }

  @Test
  void groupsAndQueuesAreDeletedEachByTheirOwnCall() {
    service.saveUser(User.of("ann", "Ann"));
    service.saveGroup(new PublicGroup("team", "Team", List.of(GroupMember.user("ann"))));
    service.saveQueue(
        new Queue("desk", "Desk", List.of(GroupMember.group("team")), List.of("Expense")));
    service.saveGroup(new PublicGroup("outer", "Outer", List.of(GroupMember.group("desk"))));

    assertThatThrownBy(() -> service.deleteGroup("desk"))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.NOT_FOUND.toErrorCode()))
        .hasMessageContaining("Group 'desk'");
    assertThatThrownBy(() -> service.deleteQueue("team")).hasMessageContaining("Queue 'team'");

    service.deleteQueue("desk");
    assertThat(directory.queues()).isEmpty();
    // The membership of the queue in "outer" goes with it.
    assertThat(directory.groups())
        .extracting(PublicGroup::id, g -> g.members().size())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("outer", 0),
            org.assertj.core.groups.Tuple.tuple("team", 1));
    service.deleteGroup("team");
    assertThat(directory.groups()).extracting(PublicGroup::id).containsExactly("outer");
  }
}

package io.orchestrion.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DirectoryIndexTest {
  /** ceo > vp > manager > clerk; intern has no role. */
  private static TestingDirectory company() {
    return new TestingDirectory()
        .role("ceo", null)
        .role("vp", "ceo")
        .role("manager", "vp")
        .role("clerk", "manager")
        .user(User.of("carol", "Carol").withRole("ceo"))
        .user(User.of("victor", "Victor").withRole("vp"))
        .user(User.of("maria", "Maria").withRole("manager"))
        .user(User.of("clara", "Clara").withRole("clerk"))
        .user(User.of("cliff", "Cliff").withRole("clerk"))
        .user(User.of("ivan", "Ivan"));
  }

  @Test
  void ownerScopeHoldsTheUserAndEveryoneInRolesBelow() {
    DirectoryIndex index = DirectoryIndex.build(company());

    assertThat(index.access("victor").ownerScope())
        .containsExactlyInAnyOrder("victor", "maria", "clara", "cliff");
    assertThat(index.access("clara").ownerScope()).containsExactly("clara");
    assertThat(index.access("ivan").ownerScope()).containsExactly("ivan");
  }

  @Test
  void rolesAboveAreNearestFirstAndRolesBelowAreTransitive() {
    DirectoryIndex index = DirectoryIndex.build(company());

    assertThat(index.rolesAbove("clerk")).containsExactly("manager", "vp", "ceo");
    assertThat(index.rolesBelow("vp")).containsExactlyInAnyOrder("manager", "clerk");
    assertThat(index.rolesBelow("clerk")).isEmpty();
  }

  @Test
  void aCycleInTheRoleHierarchyDoesNotLoop() {
    TestingDirectory directory =
        new TestingDirectory()
            .role("a", "b")
            .role("b", "a")
            .user(User.of("anna", "Anna").withRole("a"))
            .user(User.of("bert", "Bert").withRole("b"));
    DirectoryIndex index = DirectoryIndex.build(directory);

    assertThat(index.rolesAbove("a")).containsExactly("b");
    assertThat(index.access("anna").ownerScope()).containsExactlyInAnyOrder("anna", "bert");
  }

  @Test
  void groupMembershipIsTransitiveThroughRolesSubordinatesAndNestedGroups() {
    TestingDirectory directory =
        company()
            .group(new PublicGroup("clerks", "Clerks", List.of(GroupMember.role("clerk"))))
            .group(
                new PublicGroup(
                    "management", "Management", List.of(GroupMember.roleAndSubordinates("vp"))))
            .group(new PublicGroup("everyone", "Everyone", List.of(GroupMember.group("clerks"))))
            .group(new PublicGroup("nested", "Nested", List.of(GroupMember.group("everyone"))))
            .queue(
                new Queue(
                    "finance",
                    "Finance",
                    List.of(GroupMember.user("ivan"), GroupMember.group("management")),
                    List.of("Expense")));
    DirectoryIndex index = DirectoryIndex.build(directory);

    assertThat(index.access("clara").groupIds())
        .containsExactlyInAnyOrder("clerks", "everyone", "nested", "management", "finance");
    assertThat(index.access("maria").groupIds())
        .as("manager is below vp, not a clerk")
        .containsExactlyInAnyOrder("management", "finance");
    assertThat(index.access("carol").groupIds())
        .as("the ceo is above vp: ROLE_AND_SUBORDINATES does not reach up")
        .isEmpty();
    assertThat(index.access("ivan").groupIds()).containsExactly("finance");
  }

  @Test
  void nestedGroupCyclesTerminate() {
    TestingDirectory directory =
        company()
            .group(
                new PublicGroup(
                    "a", "A", List.of(GroupMember.group("b"), GroupMember.user("ivan"))))
            .group(new PublicGroup("b", "B", List.of(GroupMember.group("a"))));

    assertThat(DirectoryIndex.build(directory).access("ivan").groupIds())
        .containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void permissionsComeFromAssignedSetsAndTheAutomatedProcessUserBypassesData() {
    User automated =
        new User(
            SystemUsers.AUTOMATED_PROCESS_USER_ID,
            "automated-process",
            "Automated Process",
            Optional.empty(),
            true,
            Optional.empty(),
            Optional.empty(),
            true);
    TestingDirectory directory =
        company()
            .user(automated)
            .permissionSet(
                new PermissionSet(
                    "admins", "Admins", Map.of(), Map.of(), Set.of(SystemPermission.MANAGE_USERS)),
                "carol");
    DirectoryIndex index = DirectoryIndex.build(directory);

    assertThat(index.access("carol").permissions().has(SystemPermission.MANAGE_USERS)).isTrue();
    assertThat(index.access("victor").permissions().has(SystemPermission.MANAGE_USERS)).isFalse();
    assertThat(index.access(automated.id()).permissions().modifiesAll("Expense")).isTrue();
  }

  @Test
  void unknownUserIsNotFound() {
    assertThatThrownBy(() -> DirectoryIndex.build(company()).access("nobody"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("nobody")
        .satisfies(
            e ->
                assertThat(((OrchestrionException) e).getErrorCode())
                    .isEqualTo(StandardErrorCode.NOT_FOUND.toErrorCode()));
  }

  @Test
  void requireRunnableRefusesUnknownAndInactiveUsersWithARetryHint() {
    DirectoryIndex index =
        DirectoryIndex.build(company().user(User.of("gone", "Gone Person").withActive(false)));

    assertThat(index.requireRunnable("clara", "runAs USER").id()).isEqualTo("clara");
    assertThatThrownBy(() -> index.requireRunnable("nobody", "runAs USER of step 'Pay'"))
        .hasMessageContaining("runAs USER of step 'Pay'")
        .hasMessageContaining("'nobody' does not exist")
        .hasMessageContaining("retry the step");
    assertThatThrownBy(() -> index.requireRunnable("gone", "runAs SUBMITTER"))
        .hasMessageContaining("'gone' (Gone Person) is inactive")
        .hasMessageContaining("retry the step");
  }

  @Test
  void theCacheRebuildsOnlyWhenTheRevisionChanges() {
    TestingDirectory directory = company();
    DirectoryIndexCache cache = new DirectoryIndexCache();

    DirectoryIndex first = cache.current(directory);
    assertThat(cache.current(directory)).isSameAs(first);
    assertThat(directory.userListings).isEqualTo(1);

    directory.user(User.of("new", "Newcomer").withRole("clerk"));
    DirectoryIndex second = cache.current(directory);
    assertThat(second).isNotSameAs(first);
    assertThat(second.access("maria").ownerScope()).contains("new");
    assertThat(directory.userListings).isEqualTo(2);

    cache.invalidate();
    assertThat(cache.current(directory)).isNotSameAs(second);
  }

  @Test
  void withTrustTheCacheReadsTheRevisionOnlyOnceTheLastConfirmationIsOlderThanIt() {
    TestingDirectory directory = company();
    AtomicLong now = new AtomicLong();
    DirectoryIndexCache cache = new DirectoryIndexCache(now::get);
    Duration trust = Duration.ofMillis(100);

    DirectoryIndex first = cache.current(directory, trust);
    int reads = directory.revisionReads;
    now.addAndGet(Duration.ofMillis(99).toNanos());
    assertThat(cache.current(directory, trust)).isSameAs(first);
    assertThat(directory.revisionReads).isEqualTo(reads);

    // A change elsewhere is seen once the confirmation is older than the trust.
    directory.user(User.of("new", "Newcomer").withRole("clerk"));
    assertThat(cache.current(directory, trust)).isSameAs(first);
    now.addAndGet(Duration.ofMillis(1).toNanos());
    DirectoryIndex second = cache.current(directory, trust);
    assertThat(second).isNotSameAs(first);
    assertThat(second.user("new")).isPresent();
    assertThat(directory.userListings).isEqualTo(2);

    // A read in a transaction confirms too; zero trust reads every time.
    now.addAndGet(Duration.ofMillis(150).toNanos());
    reads = directory.revisionReads;
    assertThat(cache.current(directory)).isSameAs(second);
    assertThat(cache.current(directory, trust)).isSameAs(second);
    assertThat(directory.revisionReads).isEqualTo(reads + 1);
    assertThat(cache.current(directory, Duration.ZERO)).isSameAs(second);
    assertThat(directory.revisionReads).isEqualTo(reads + 2);
    assertThat(directory.userListings).isEqualTo(2);
  }

  @Test
  void aChangeThatInvalidatesIsSeenAtOnceEvenWhenAReadBegunBeforeItEndsAfterIt() {
    TestingDirectory directory = company();
    DirectoryIndexCache cache = new DirectoryIndexCache(() -> 0L);
    Duration trust = Duration.ofHours(1);
    DirectoryIndex before = cache.current(directory, trust);
    assertThat(before.user("maria")).hasValueSatisfying(user -> assertThat(user.active()).isTrue());

    // This node's change: committed, then invalidated, while a read that began before the
    // commit is under way (it read the old revision); what that read leaves is not trusted.
    directory.onRevisionRead =
        () -> {
          directory.onRevisionRead = () -> {};
          directory.user(User.of("maria", "Maria").withActive(false));
          cache.invalidate();
        };
    // The read answers the index it found current when it began, as of before the change.
    assertThat(cache.current(directory)).isSameAs(before);

    DirectoryIndex after = cache.current(directory, trust);
    assertThat(after.user("maria")).hasValueSatisfying(user -> assertThat(user.active()).isFalse());
    int reads = directory.revisionReads;
    assertThat(cache.current(directory, trust)).isSameAs(after);
    assertThat(directory.revisionReads).isEqualTo(reads);
  }
}

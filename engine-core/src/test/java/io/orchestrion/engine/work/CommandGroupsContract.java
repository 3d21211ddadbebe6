package io.orchestrion.engine.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestingClock;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CommandGroups} on each dialect, with real transactions: commands that arrive while a group
 * runs share the next transaction, each under its own savepoint; a failing command is rolled back
 * alone and its caller gets its exception; a group that fails as a whole runs every command alone;
 * a group runs its commands in the order of their first locks.
 *
 * <p>Each test holds a first command (and so the only group allowed at once) until the others have
 * queued, so that which commands share a transaction does not depend on timing.
 */
abstract class CommandGroupsContract {
  private final TestingClock clock = new TestingClock();
  // The transaction each command ran in, by command name (the last attempt's).
  private final Map<String, Transaction> transactionOf = new ConcurrentHashMap<>();
  private final List<String> ranInOrder = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstStarted = new CountDownLatch(1);
  private final CountDownLatch releaseFirst = new CountDownLatch(1);
  private ProbeTable probe;
  private UnitsOfWork units;
  private ExecutorService callers;

  protected abstract TestDatabaseKind kind();

  @BeforeEach
  void open() {
    probe = ProbeTable.create(kind(), clock, new WorkSignals());
    units = probe.units();
    callers = Executors.newVirtualThreadPerTaskExecutor();
  }

  @AfterEach
  void close() {
    releaseFirst.countDown();
    callers.shutdownNow();
    probe.close();
  }

  @Test
  void commandsThatArriveWhileAGroupRunsShareTheNextTransaction() throws Exception {
    CommandGroups groups = new CommandGroups(units, 16, 1, CommandGroups.LockOrder.KEY);
    assertThat(afterHeldFirst(groups, "b", "c", "d")).containsExactly("a", "b", "c", "d");
    assertThat(committedNames()).containsExactly("a", "b", "c", "d");
    assertThat(transactionOf.get("b"))
        .isSameAs(transactionOf.get("c"))
        .isSameAs(transactionOf.get("d"))
        .isNotSameAs(transactionOf.get("a"));
    assertThat(ranInOrder).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aGroupHoldsAtMostItsSizeAndTheRestFormTheNextGroup() throws Exception {
    CommandGroups groups = new CommandGroups(units, 2, 1, CommandGroups.LockOrder.KEY);
    afterHeldFirst(groups, "b", "c", "d");
    assertThat(committedNames()).containsExactly("a", "b", "c", "d");
    assertThat(transactionOf.get("b")).isSameAs(transactionOf.get("c"));
    assertThat(transactionOf.get("d")).isNotSameAs(transactionOf.get("c"));
  }

  @Test
  void aFailingCommandIsRolledBackAloneAndOnlyItsCallerGetsTheException() throws Exception {
    CommandGroups groups = new CommandGroups(units, 16, 1, CommandGroups.LockOrder.KEY);
    AtomicBoolean failedOnesActionRan = new AtomicBoolean();
    AtomicBoolean actionRanBeforeReturn = new AtomicBoolean();
    AtomicBoolean bActionRan = new AtomicBoolean();
    Future<String> first = holdFirst(groups);
    Future<String> b =
        callers.submit(
            () ->
                groups.call(
                    "b",
                    uow -> {
                      insert(uow, "b");
                      uow.afterCommit(() -> bActionRan.set(true));
                      return "b";
                    }));
    awaitQueued(groups, 1);
    Future<String> failing =
        callers.submit(
            () ->
                groups.call(
                    "c",
                    uow -> {
                      insert(uow, "c");
                      uow.afterCommit(() -> failedOnesActionRan.set(true));
                      throw new IllegalArgumentException("command c refuses");
                    }));
    awaitQueued(groups, 2);
    Future<String> d = queue(groups, "d").get(0);
    awaitQueued(groups, 3);
    releaseFirst.countDown();

    first.get(10, TimeUnit.SECONDS);
    assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("b");
    actionRanBeforeReturn.set(bActionRan.get());
    assertThat(d.get(10, TimeUnit.SECONDS)).isEqualTo("d");
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("command c refuses");
    // b and d committed together; c's row and its after-commit action are gone with its savepoint.
    assertThat(committedNames()).containsExactly("a", "b", "d");
    assertThat(transactionOf.get("b")).isSameAs(transactionOf.get("d"));
    assertThat(actionRanBeforeReturn).isTrue();
    assertThat(failedOnesActionRan).isFalse();
  }

  @Test
  void aGroupThatFailsAsAWholeRunsEveryCommandAloneAndEachCommitsOnce() throws Exception {
    CommandGroups groups = new CommandGroups(units, 16, 1, CommandGroups.LockOrder.KEY);
    AtomicInteger attempts = new AtomicInteger();
    Future<String> first = holdFirst(groups);
    List<Future<String>> before = queue(groups, "b");
    Future<String> transient_ =
        callers.submit(
            () ->
                groups.call(
                    "c",
                    uow -> {
                      insert(uow, "c");
                      // Every attempt of the group fails transiently; alone, the command succeeds.
                      if (attempts.incrementAndGet() <= 4) {
                        throw new SQLException("forced serialization failure", "40001");
                      }
                      return "c";
                    }));
    awaitQueued(groups, 2);
    List<Future<String>> after = queue(groups, "d");
    releaseFirst.countDown();

    first.get(10, TimeUnit.SECONDS);
    assertThat(before.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("b");
    assertThat(transient_.get(10, TimeUnit.SECONDS)).isEqualTo("c");
    assertThat(after.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("d");
    // The group's attempt and its three retries failed; then c ran alone (fifth attempt).
    assertThat(attempts).hasValue(5);
    assertThat(committedNames()).containsExactly("a", "b", "c", "d");
    assertThat(Set.of(transactionOf.get("b"), transactionOf.get("c"), transactionOf.get("d")))
        .hasSize(3);
  }

  @Test
  void aGroupRunsItsCommandsInTheOrderOfWhatTheyLockFirst() throws Exception {
    List<Set<String>> asked = new CopyOnWriteArrayList<>();
    CommandGroups groups =
        new CommandGroups(
            units,
            16,
            1,
            (uow, keys) -> {
              asked.add(Set.copyOf(keys));
              // "w" locks nothing that exists: it runs first.
              return Map.of("a", "0", "x", "run-3", "y", "run-1", "z", "run-2");
            });
    afterHeldFirst(groups, "x", "y", "z", "w");
    assertThat(ranInOrder).containsExactly("a", "w", "y", "z", "x");
    // Asked once, for the group of four; a lone command runs without asking.
    assertThat(asked).containsExactly(Set.of("x", "y", "z", "w"));
  }

  @Test
  void byKeyAGroupRunsItsCommandsInTheOrderOfTheirKeys() throws Exception {
    CommandGroups groups = new CommandGroups(units, 16, 1, CommandGroups.LockOrder.KEY);
    afterHeldFirst(groups, "record:c", "record:a", "record:b");
    assertThat(ranInOrder).containsExactly("a", "record:a", "record:b", "record:c");
    assertThat(transactionOf.get("record:a")).isSameAs(transactionOf.get("record:c"));
  }

  @Test
  void aCallerWithATransactionOpenIsRefusedAsUnitsOfWorkRefuseIt() {
    CommandGroups groups = new CommandGroups(units, 16, 1, CommandGroups.LockOrder.KEY);

    assertThatThrownBy(() -> units.run(uow -> groups.call("nested", inner -> insert(inner, "x"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("A transaction is already open on this thread");
    assertThat(committedNames()).isEmpty();
  }

  /** Starts command "a" and holds it (and so the one group allowed) until the test releases it. */
  private Future<String> holdFirst(CommandGroups groups) throws InterruptedException {
    Future<String> first =
        callers.submit(
            () ->
                groups.call(
                    "a",
                    uow -> {
                      insert(uow, "a");
                      firstStarted.countDown();
                      awaitRelease();
                      return "a";
                    }));
    assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
    return first;
  }

  private void awaitRelease() {
    try {
      assertThat(releaseFirst.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Holds command "a" (and so the one group allowed), queues {@code names} behind it, releases it,
   * and returns the answers of all, "a" first.
   */
  private List<String> afterHeldFirst(CommandGroups groups, String... names) throws Exception {
    Future<String> first = holdFirst(groups);
    List<Future<String>> queued = queue(groups, names);
    releaseFirst.countDown();
    List<String> answers = new ArrayList<>();
    answers.add(first.get(10, TimeUnit.SECONDS));
    for (Future<String> command : queued) {
      answers.add(command.get(10, TimeUnit.SECONDS));
    }
    return answers;
  }

  /** Starts commands that insert their name, one after the other queued behind the held group. */
  private List<Future<String>> queue(CommandGroups groups, String... names)
      throws InterruptedException {
    List<Future<String>> futures = new ArrayList<>();
    for (String name : names) {
      int before = groups.queued();
      futures.add(callers.submit(() -> groups.call(name, uow -> insert(uow, name))));
      awaitQueued(groups, before + 1);
    }
    return futures;
  }

  private static void awaitQueued(CommandGroups groups, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (groups.queued() < count) {
      assertThat(System.nanoTime()).as("%d commands queued", count).isLessThan(deadline);
      Thread.sleep(2);
    }
  }

  private String insert(UnitOfWork uow, String name) throws SQLException {
    transactionOf.put(name, uow.transaction());
    ranInOrder.add(name);
    ProbeTable.insert(uow, name);
    return name;
  }

  private List<String> committedNames() {
    return probe.committedNames();
  }
}

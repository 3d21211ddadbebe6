package io.orchestrion.engine.work;

import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.toMap;

import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.RunLogContext;
import io.orchestrion.engine.persistence.Database;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for commands that callers wait for (issue #11): while the commands already running
 * hold their transactions, the commands that arrive queue up, and the next free caller thread runs
 * the queued ones (its own first) in one transaction, each under its own savepoint ({@link
 * UnitOfWork#underSavepoint}), then commits once for all of them. A command that throws is rolled
 * back to its savepoint and its caller gets the exception; the others commit. Every caller returns
 * only after the commit that holds its command's writes ("committed before anyone is told"), and
 * the after-commit actions of the whole group have run by then.
 *
 * <p>At most {@code maxGroups} groups run at once, each on the thread of one of its callers (the
 * leader); a command never waits for a group to fill: a caller that finds fewer than {@code
 * maxGroups} groups running runs its command at once, alone or with what is queued. When a group
 * has committed and commands are waiting, the leader hands the next group to the first waiting
 * caller's thread and returns. A group holds at most {@code maxGroupSize} commands.
 *
 * <p>A transient failure (a deadlock, a serialization failure) rolls the whole group back and
 * {@link Database#inTransaction} runs it again; if the group still fails as a whole (or its commit
 * fails), nothing of it committed and every caller runs its own command alone, on its own thread,
 * in a transaction of its own, so that a failure stays with the command that causes it. Commands
 * must therefore be repeatable, as {@link Database#inTransaction} requires anyway.
 *
 * <p>Two groups running at once must not take the same locks in opposite orders: H2 finds such a
 * deadlock only by its lock timeout. Each command gives a key, and the group's {@link LockOrder}
 * tells what each key locks first: a decision locks its work item's run, which the order reads for
 * the whole group in one statement; a submission locks its record first, which its key names
 * ({@link LockOrder#KEY}). The commands then run in that order (for runs, the order job groups lock
 * them in, {@code jobs.JobGroups}), so that groups take those first locks in one global order.
 * Thread-safe.
 */
public final class CommandGroups {
  private static final Logger log = LoggerFactory.getLogger(CommandGroups.class);

  private final UnitsOfWork units;
  private final int maxGroupSize;
  private final int maxGroups;
  private final LockOrder lockOrder;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Command<?>> waiting = new ArrayDeque<>();
  private int running;

  /**
   * Groups of at most {@link EngineConfig#commandGroupSize()} commands, at most {@link
   * EngineConfig#commandGroupsAtOnce()} at once.
   */
  public static CommandGroups of(UnitsOfWork units, EngineConfig config, LockOrder lockOrder) {
    return new CommandGroups(
        units, config.commandGroupSize(), config.commandGroupsAtOnce(), lockOrder);
  }

  /**
   * @param maxGroupSize at most this many commands per transaction; 1 runs every command alone
   * @param maxGroups at most this many groups at once
   * @param lockOrder what the commands lock first, by their keys
   */
  public CommandGroups(UnitsOfWork units, int maxGroupSize, int maxGroups, LockOrder lockOrder) {
    this.units = requireNonNull(units, "units is null");
    if (maxGroupSize < 1 || maxGroups < 1) {
      throw new IllegalArgumentException(
          "maxGroupSize and maxGroups must be positive: " + maxGroupSize + ", " + maxGroups);
    }
    this.maxGroupSize = maxGroupSize;
    this.maxGroups = maxGroups;
    this.lockOrder = requireNonNull(lockOrder, "lockOrder is null");
  }

  /**
   * What the commands of a group lock first, read once for the whole group in its transaction, so
   * that the group runs them in the order of those locks.
   */
  @FunctionalInterface
  public interface LockOrder {
    /**
     * Commands whose key names what they lock first (a submission's record): they run in the order
     * of their keys, read from nothing.
     */
    LockOrder KEY = (uow, keys) -> keys.stream().collect(toMap(key -> key, key -> key));

    /**
     * By command key, the key of the row each command locks first (compared as strings); a command
     * missing from the answer (its row does not exist: it fails alone) runs first.
     */
    Map<String, String> firstLocks(UnitOfWork uow, Set<String> commandKeys) throws SQLException;
  }

  /**
   * Runs {@code work} as a command of a group and returns once the group has committed; throws what
   * the command threw (its writes rolled back) or what its own transaction threw when it had to run
   * alone. Failures and retries as {@link UnitsOfWork#call}.
   *
   * @param key what the group's {@link LockOrder} finds the command's first lock by
   * @throws IllegalStateException when this thread has a transaction open already
   */
  public <T> T call(String key, Work<T> work) {
    requireNonNull(key, "key is null");
    requireNonNull(work, "work is null");
    if (maxGroupSize == 1 || units.transactionOpenOnThisThread()) {
      // Alone; with a transaction open already, units.call refuses it as it refuses any.
      return units.call(work);
    }
    Command<T> command = new Command<>(key, work, lock.newCondition());
    List<Command<?>> group;
    lock.lock();
    try {
      waiting.add(command);
      if (running < maxGroups) {
        running++;
        command.lead = nextGroup();
      }
      while (command.lead == null && command.state == State.WAITING) {
        command.wakeUp.awaitUninterruptibly();
      }
      group = command.lead;
    } finally {
      lock.unlock();
    }
    if (group != null) {
      lead(group);
    }
    return command.outcome(units);
  }

  /** How many commands wait for a group (for tests). */
  int queued() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  /** Takes the next group from the queue's head; the caller holds the lock. */
  private List<Command<?>> nextGroup() {
    List<Command<?>> group = new ArrayList<>(Math.min(maxGroupSize, waiting.size()));
    while (group.size() < maxGroupSize && !waiting.isEmpty()) {
      group.add(waiting.poll());
    }
    return group;
  }

  private void lead(List<Command<?>> group) {
    boolean committed = false;
    try {
      if (group.size() == 1) {
        group.get(0).runAlone(units);
      } else {
        units.run(uow -> runGroup(uow, group, lockOrder));
      }
      committed = true;
    } catch (RuntimeException | Error e) {
      log.info(
          "A group of {} commands failed as a whole, each runs alone: {}",
          group.size(),
          e.toString());
    } finally {
      RunLogContext.clear();
      handOver(group, committed);
    }
  }

  private static void runGroup(UnitOfWork uow, List<Command<?>> group, LockOrder lockOrder)
      throws SQLException {
    for (Command<?> command : group) {
      // A retried attempt starts from nothing.
      command.clearResult();
    }
    Set<String> keys = new LinkedHashSet<>();
    group.forEach(command -> keys.add(command.key));
    Map<String, String> firstLocks = lockOrder.firstLocks(uow, keys);
    List<Command<?>> ordered = new ArrayList<>(group);
    // Stable: commands with the same first lock keep their order of arrival.
    ordered.sort(Comparator.comparing(command -> firstLocks.getOrDefault(command.key, "")));
    for (Command<?> command : ordered) {
      command.runUnder(uow);
      RunLogContext.clear();
    }
  }

  /** Tells the group's callers and gives the next group, if any, to its first caller's thread. */
  private void handOver(List<Command<?>> group, boolean committed) {
    lock.lock();
    try {
      for (Command<?> command : group) {
        command.state = committed ? State.DONE : State.RUN_ALONE;
        command.wakeUp.signal();
      }
      if (waiting.isEmpty()) {
        running--;
      } else {
        List<Command<?>> next = nextGroup();
        Command<?> leader = next.get(0);
        leader.lead = next;
        leader.wakeUp.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private enum State {
    WAITING,
    DONE,
    RUN_ALONE
  }

  /** One caller's command and what became of it; fields guarded by the groups' lock. */
  private static final class Command<T> {
    private final String key;
    private final Work<T> work;
    private final Condition wakeUp;
    private State state = State.WAITING;
    private List<Command<?>> lead;
    // Written by the leader's thread before the hand-over, read by the caller's after it (the
    // lock orders them).
    private T result;
    private RuntimeException failure;
    private Error error;

    Command(String key, Work<T> work, Condition wakeUp) {
      this.key = key;
      this.work = work;
      this.wakeUp = wakeUp;
    }

    void clearResult() {
      result = null;
      failure = null;
      error = null;
    }

    void runAlone(UnitsOfWork units) {
      try {
        result = units.call(work);
      } catch (RuntimeException e) {
        failure = e;
      } catch (Error e) {
        error = e;
      }
    }

    /**
     * Runs the command under its savepoint; its own failure is kept for its caller, a failure of
     * the whole transaction (transient, or the savepoint lost) ends the group.
     */
    void runUnder(UnitOfWork uow) throws SQLException {
      UnitOfWork.MemberOutcome<T> outcome =
          uow.underSavepointAsMember(work, "running a command of a group");
      result = outcome.result();
      failure = outcome.failure();
    }

    /** The command's result on its caller's thread, running it alone when its group failed. */
    T outcome(UnitsOfWork units) {
      if (state == State.RUN_ALONE) {
        return units.call(work);
      }
      if (error != null) {
        throw error;
      }
      if (failure != null) {
        throw failure;
      }
      return result;
    }
  }
}

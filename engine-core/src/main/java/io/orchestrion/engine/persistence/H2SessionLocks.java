package io.orchestrion.engine.persistence;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every session of an embedded H2 database out of its statements for a moment. H2 runs each
 * statement, commit and rollback of a session under that session's lock ({@link Session#lock}), and
 * a transaction changes H2's maps only there; so while all those locks are held, no transaction is
 * between writing a row's undo entry and writing the row, and none is committing. Transactions
 * between two statements are not waited for: a session's lock is free then.
 *
 * <p>H2 offers only a blocking {@code lock()}. A statement waiting for a row lock keeps its
 * session's lock, and the transaction it waits for may need its own session's lock, held here, to
 * commit: a blocking lock could wait for as long as H2's lock timeout. So each lock is tried for a
 * short while ({@value #TRY_EACH_MICROS} µs) by reflection on H2 2.3.232's field, and when one is
 * not free in time all are let go and taken again, until a deadline.
 */
final class H2SessionLocks {
  /** How long one session's lock is tried before all are let go and taken again. */
  static final long TRY_EACH_MICROS = 2_000;

  private static final Logger log = LoggerFactory.getLogger(H2SessionLocks.class);
  private static final Field LOCK = lockField();

  private H2SessionLocks() {}

  /** Whether this H2 lets the sessions' locks be tried (see the class comment). */
  static boolean available() {
    return LOCK != null;
  }

  /**
   * Holds the lock of every session of {@code database} (sessions opened meanwhile included), or
   * returns null when some session was still in a statement {@code budgetNanos} after the call. The
   * caller lets them go with {@link Held#close}, on this thread.
   */
  static Held tryHoldAll(org.h2.engine.Database database, long budgetNanos)
      throws InterruptedException {
    if (LOCK == null) {
      return null;
    }
    long deadline = System.nanoTime() + budgetNanos;
    while (true) {
      Held held = new Held();
      boolean all = false;
      try {
        all = held.tryTakeAll(database, deadline);
      } finally {
        if (!all) {
          // Also when interrupted while trying: no lock stays held.
          held.close();
        }
      }
      if (all) {
        return held;
      }
      if (System.nanoTime() - deadline >= 0) {
        return null;
      }
      // Let a transaction that a statement waits for take its session's lock and end.
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /** The locks held, let go in the reverse order of taking. */
  static final class Held implements AutoCloseable {
    private final List<ReentrantLock> locks = new ArrayList<>();

    private boolean tryTakeAll(org.h2.engine.Database database, long deadline)
        throws InterruptedException {
      Set<SessionLocal> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      boolean found = true;
      while (found) {
        found = false;
        for (SessionLocal session : database.getSessions(false)) {
          if (!seen.add(session)) {
            continue;
          }
          found = true;
          long wait =
              Math.min(
                  deadline - System.nanoTime(), TimeUnit.MICROSECONDS.toNanos(TRY_EACH_MICROS));
          ReentrantLock lock = lockOf(session);
          if (!lock.tryLock(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
            return false;
          }
          locks.add(lock);
        }
      }
      return true;
    }

    @Override
    public void close() {
      for (int i = locks.size() - 1; i >= 0; i--) {
        locks.get(i).unlock();
      }
      locks.clear();
    }
  }

  /** The lock H2 runs {@code session}'s statements under (package-private for tests). */
  static ReentrantLock lockOf(Session session) {
    try {
      return (ReentrantLock) LOCK.get(session);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("H2's session lock could not be read", e);
    }
  }

  private static Field lockField() {
    try {
      Field field = Session.class.getDeclaredField("lock");
      if (field.getType() != ReentrantLock.class) {
        throw new NoSuchFieldException("Session.lock is a " + field.getType());
      }
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn(
          "H2's session locks cannot be tried ({}): writes of an H2 file keep only commits out of"
              + " H2's snapshot, and a process killed right after one can leave rows of a"
              + " transaction that never committed (docs/persistence.md)",
          e.toString());
      return null;
    }
  }
}

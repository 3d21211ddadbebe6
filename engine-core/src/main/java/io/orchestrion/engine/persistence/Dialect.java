package io.orchestrion.engine.persistence;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The databases the engine supports. Most SQL is shared; the few differences (column types in
 * migrations, returning updated rows, text collation) live here so that they are in one place.
 */
public enum Dialect {
  // Identity cache 1000 on H2: H2 writes an identity's next value to its system table, in a commit
  // of its own (a store of every changed page), each time the cached values run out (every 32 by
  // default). 1 on PostgreSQL, its default: there each connection caches its own range, and ids
  // would no longer increase in insertion order across connections (V18, docs/persistence.md).
  H2("CHARACTER LARGE OBJECT", "BINARY LARGE OBJECT", "", "1000"),
  // COLLATE "C": PostgreSQL would otherwise sort text by the server's locale, H2 by code point; the
  // engine sorts the same way on both so that a query gives the same order everywhere.
  POSTGRESQL("TEXT", "BYTEA", " COLLATE \"C\"", "1");

  private final String jsonType;
  private final String binaryType;
  private final String textCollation;
  private final String identityCache;

  Dialect(String jsonType, String binaryType, String textCollation, String identityCache) {
    this.jsonType = jsonType;
    this.binaryType = binaryType;
    this.textCollation = textCollation;
    this.identityCache = identityCache;
  }

  /** The dialect of a connected database, from its product name. */
  public static Dialect of(DatabaseMetaData metaData) throws SQLException {
    return fromProductName(metaData.getDatabaseProductName());
  }

  public static Dialect fromProductName(String productName) {
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.equals("h2")) {
      return H2;
    }
    if (name.equals("postgresql")) {
      return POSTGRESQL;
    }
    throw new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST,
        "Unsupported database '" + productName + "': Orchestrion runs on H2 and PostgreSQL");
  }

  /** The column type of JSON documents (stored as text, exactly as written). */
  public String jsonType() {
    return jsonType;
  }

  /** The column type of binary documents. */
  public String binaryType() {
    return binaryType;
  }

  /** The clause appended to a text column definition so that text sorts by code point. */
  public String textCollation() {
    return textCollation;
  }

  /**
   * Wraps an {@code UPDATE ...} (without a trailing semicolon) so that executing it as a query
   * returns the updated rows with the given columns: one round trip instead of update + select.
   */
  public String returningUpdatedRows(String updateStatement, String columns) {
    return switch (this) {
      case H2 -> "SELECT " + columns + " FROM FINAL TABLE (" + updateStatement + ")";
      case POSTGRESQL -> updateStatement + " RETURNING " + columns;
    };
  }

  /**
   * Leases up to {@code limit} due jobs whose lease is free or expired to {@code owner} with {@code
   * token} until {@code until}, and returns their ids: one statement, which never waits for a job
   * row another transaction holds (being claimed, renewed or finished elsewhere) but skips it, so
   * that nodes polling at once neither block each other nor claim the same job.
   *
   * <p>PostgreSQL may run an {@code IN (subquery ... LIMIT)} more than once per statement, so it
   * uses a CTE that locks the rows once; H2 has no {@code UPDATE ... FROM} and reads its data
   * change delta table of an update over the same subquery.
   */
  public List<String> claimDueJobs(
      Connection connection,
      int limit,
      String owner,
      String token,
      OffsetDateTime until,
      OffsetDateTime now)
      throws SQLException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    String due =
        "SELECT id FROM jobs WHERE due_at <= ? AND (lease_until IS NULL OR lease_until < ?)"
            + " ORDER BY due_at FETCH FIRST "
            + limit
            + " ROWS ONLY FOR UPDATE SKIP LOCKED";
    String lease = "UPDATE jobs SET lease_owner = ?, lease_token = ?, lease_until = ?";
    String sql =
        switch (this) {
          case H2 -> "SELECT id FROM FINAL TABLE (" + lease + " WHERE id IN (" + due + "))";
          case POSTGRESQL ->
              "WITH due AS ("
                  + due
                  + ") "
                  + lease
                  + " FROM due WHERE jobs.id = due.id"
                  + " RETURNING jobs.id";
        };
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int dueAt = this == H2 ? 4 : 1;
      int leaseAt = this == H2 ? 1 : 3;
      statement.setObject(dueAt, now);
      statement.setObject(dueAt + 1, now);
      statement.setString(leaseAt, owner);
      statement.setString(leaseAt + 1, token);
      statement.setObject(leaseAt + 2, until);
      List<String> claimed = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          claimed.add(rs.getString(1));
        }
      }
      return claimed;
    }
  }

  /**
   * A statement that extends one job's lease (parameters: lease end, job id, lease token) unless
   * the lease changed hands, and skips, rather than waits for, a job row that is locked: the
   * running segment holds that lock only while it commits its end, after which the lease no longer
   * matters.
   */
  public String renewLease() {
    return "UPDATE jobs SET lease_until = ? WHERE id = (SELECT id FROM jobs WHERE id = ?"
        + " AND lease_token = ? FOR UPDATE SKIP LOCKED)";
  }

  /**
   * One statement that numbers the oldest {@code limit} events without a sequence (by id, the order
   * they were written in) as {@code after + 1, after + 2, ...}; its one parameter is {@code after}
   * and its update count is how many it numbered. The events are chosen by a plain read, which sees
   * only committed rows and never waits for an uncommitted one; the caller holds the sequencer
   * lock. It finds them through the index on {@code sequence}, whose entries for events numbered
   * since the last vacuum it walks too: {@link #numberListedEvents} is the cheap form for events
   * whose ids the caller knows.
   */
  public String numberUnsequencedEvents(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    return numberEvents(
        "SELECT id, CAST(? AS BIGINT) + ROW_NUMBER() OVER (ORDER BY id) AS next_sequence"
            + " FROM events WHERE sequence IS NULL ORDER BY id FETCH FIRST "
            + limit
            + " ROWS ONLY");
  }

  /**
   * Like {@link #numberUnsequencedEvents}, for the events among those whose {@code event_id} is in
   * its second parameter (an array) that are still unnumbered: found by their ids' index, however
   * many events were numbered before them. Its first parameter is {@code after}.
   */
  public String numberListedEvents() {
    // "COALESCE(sequence, 0) = 0" is "sequence IS NULL" (numbers start at 1) in a form no index
    // answers: PostgreSQL otherwise ANDs in a scan of events_sequence for its NULL entries, which
    // walks the dead entry of every event numbered since the last vacuum (1.3 ms and 275 blocks a
    // call, measured: benchmarks/README.md, "Event numbering in the INSERT").
    return numberEvents(
        "SELECT id, CAST(? AS BIGINT) + ROW_NUMBER() OVER (ORDER BY id) AS next_sequence"
            + " FROM events WHERE event_id = ANY(?) AND COALESCE(sequence, 0) = 0");
  }

  // PostgreSQL updates from the numbered subquery; H2 has no UPDATE ... FROM and merges it.
  private String numberEvents(String numbered) {
    return switch (this) {
      case H2 ->
          "MERGE INTO events USING ("
              + numbered
              + ") numbered ON events.id = numbered.id"
              + " WHEN MATCHED THEN UPDATE SET sequence = numbered.next_sequence";
      case POSTGRESQL ->
          "UPDATE events SET sequence = numbered.next_sequence FROM ("
              + numbered
              + ") numbered WHERE events.id = numbered.id";
    };
  }

  /**
   * Whether a transaction that numbers its events at insert waits for the event sequencer's row
   * lock (true) or, finding it taken, inserts them unnumbered for a numbering transaction to number
   * after its commit (false, a <i>fallback</i>).
   *
   * <p>H2 waits: its commits are serialised anyway (each one stores its changed pages under the
   * store's lock), so queueing for the row, which is taken just before the commit and released by
   * it, costs no concurrency, and every event is written once, numbered. Measured on the approval
   * scenario (benchmarks/README.md, "Numbering on H2 waits for the row"): 3.5 statements and 0.6
   * commits a submission fewer, throughput and CPU unchanged.
   *
   * <p>PostgreSQL skips: its commits run side by side and share WAL flushes, and a transaction
   * holding the row through its commit would queue every other event-writing commit behind its
   * flush. With {@code fsync} and {@code synchronous_commit} on, waiting was measured no faster
   * there (same README section), so the engine keeps the design that cannot serialise commits on a
   * slower disk. The exception is a transaction whose caller answers only once its events are
   * numbered (a decision, a run operation): it waits on PostgreSQL too ({@code
   * EventSequencer.numberBeforeCommit}), since falling back it would take the lock anyway, after
   * its commit, in a numbering transaction of its own (benchmarks/README.md, "A decision waits for
   * the sequencer").
   */
  public boolean waitsForEventSequencer() {
    return this == H2;
  }

  /**
   * Whether each commit returns only once the database has made it durable by itself, as
   * PostgreSQL's does after its WAL flush; H2's commits return before the engine writes the file,
   * once for a group of them ({@code H2GroupStore}). Where each commit waits for its flush, jobs
   * that become ready together should share one: the engine caps its job transactions there by
   * default ({@code Workers.defaultTransactionCap}; benchmarks/README.md, "Job transactions at once
   * on PostgreSQL by default").
   */
  public boolean flushesEachCommit() {
    return this == POSTGRESQL;
  }

  /**
   * One statement that takes the event sequencer's row lock and then advances its counter by its
   * one parameter (how many numbers the transaction gives its events): its result has one row, the
   * counter after the advance, when it took the lock, and no row when it did not. With {@code wait}
   * it waits for a transaction holding the lock to end; without, it gives up at once ({@code SKIP
   * LOCKED}). PostgreSQL returns the updated row; H2 has no {@code RETURNING} and selects from the
   * update's final table.
   */
  public String reserveEventSequences(boolean wait) {
    String advance = advanceEventSequencer("?", wait);
    return switch (this) {
      case H2 -> "SELECT last_sequence FROM FINAL TABLE (" + advance + ")";
      case POSTGRESQL -> advance + " RETURNING last_sequence";
    };
  }

  private static String advanceEventSequencer(String by, boolean wait) {
    return "UPDATE event_sequencer SET last_sequence = last_sequence + "
        + by
        + " WHERE id ="
        + (wait ? " 1" : " (SELECT id FROM event_sequencer WHERE id = 1 FOR UPDATE SKIP LOCKED)");
  }

  /**
   * A query that reads {@code selectList} from the rows of {@code table} that {@code condition}
   * matches and locks those rows until the transaction ends, as {@code SELECT ... FOR UPDATE} does.
   * PostgreSQL: exactly that. H2 never keeps a {@code FOR UPDATE} query in the session's query
   * cache (its {@code Select.isCacheable}), so each execution parses it again — 4 % of the engine's
   * CPU for the run's lock on the approval scenario (benchmarks/README.md, "The run's lock without
   * FOR UPDATE on H2"). H2 reads the rows from the final table of an UPDATE that gives {@code
   * unchangedColumn} its own value: the UPDATE takes the same row locks (H2 locks a row for update
   * by writing it), the result is the rows as locked, and the query is cached.
   */
  public String selectLocked(
      String selectList, String table, String condition, String unchangedColumn) {
    return switch (this) {
      case H2 ->
          "SELECT "
              + selectList
              + " FROM FINAL TABLE (UPDATE "
              + table
              + " SET "
              + unchangedColumn
              + " = "
              + unchangedColumn
              + " WHERE "
              + condition
              + ")";
      case POSTGRESQL ->
          "SELECT " + selectList + " FROM " + table + " WHERE " + condition + " FOR UPDATE";
    };
  }

  /**
   * Whether a statement can carry a fenced {@code DELETE} ahead of the {@code UPDATE} it runs with
   * ({@code WITH ended AS (DELETE ... RETURNING id) UPDATE ... AND EXISTS (SELECT 1 FROM ended)}):
   * PostgreSQL runs a data-modifying {@code WITH} exactly once, with the statement's snapshot, and
   * the {@code UPDATE} changes no row when the delete found none. A worker's job ending with its
   * run's write saves a statement that way (benchmarks/README.md, "The ended job's delete in the
   * run's UPDATE"). H2 has no data-modifying {@code WITH}: the delete is a statement of its own.
   */
  public boolean deletesInUpdate() {
    return this == POSTGRESQL;
  }

  /**
   * Whether a savepoint whose work is kept is released with a statement of its own ({@link
   * Transaction#releaseSavepoint}). H2 releases it: the call stays in the process. PostgreSQL does
   * not: there {@code RELEASE SAVEPOINT} is a round trip to the server that changes nothing a later
   * statement can see (the savepoint's writes belong to the transaction either way, and it ends
   * with the transaction), and a hand-off keeps three or four savepoints a submission. An open
   * savepoint only stays a rollback target until an earlier one is rolled back to or the
   * transaction ends.
   */
  public boolean releasesSavepoints() {
    return this == H2;
  }

  /**
   * Whether a transaction can reserve its events' numbers in the INSERT that writes them ({@link
   * #openInsertReservingEventSequences}) rather than in a statement of its own, given whether it
   * waits for the event sequencer's lock ({@link #waitsForEventSequencer}).
   *
   * <p>PostgreSQL can either way: a data-modifying {@code WITH} runs exactly once, whatever reads
   * its result; {@code SKIP LOCKED} in it leaves every row unnumbered when the lock is taken, and
   * without it the {@code UPDATE} waits for the lock and then advances the counter as committed by
   * its holder (READ COMMITTED re-reads the row it waited for). H2 can when it waits: the first
   * row's sequence is a scalar subquery that advances the counter past all the statement's rows,
   * reads it back and keeps the first number in a session variable, which each later row's sequence
   * adds its distance to; H2 evaluates every row's values once, in the order written, so the rows
   * get consecutive numbers in that order, the first of them taking the lock. A reserve of all the
   * rows at once joined with them is what H2 cannot do safely: a data-change delta table on the
   * inner side of a join ran its UPDATE once per row (benchmarks/README.md, "Tried and not kept").
   * {@code EventSequencerContract} pins both.
   */
  public boolean reservesEventSequencesInInsert(boolean wait) {
    return switch (this) {
      case H2 -> wait;
      case POSTGRESQL -> true;
    };
  }

  /**
   * What opens an INSERT of {@code count} events that reserves their numbers itself ({@link
   * #reservesEventSequencesInInsert}), before {@code INSERT INTO events}; the statement is a query
   * whose rows are the inserted events' sequences (null where the reserve found the lock taken),
   * closed by {@link #closeInsertReservingEventSequences}; {@code wait} as for {@link
   * #reservesEventSequencesInInsert}. PostgreSQL: the {@code WITH} clause that reserves them all,
   * waiting for the lock or not. H2: a select from the INSERT's final table.
   */
  public String openInsertReservingEventSequences(int count, boolean wait) {
    if (count < 1) {
      throw new IllegalArgumentException("no events to number: " + count);
    }
    if (!reservesEventSequencesInInsert(wait)) {
      throw new IllegalArgumentException(this + " does not number events in their INSERT here");
    }
    return switch (this) {
      case H2 -> "SELECT sequence FROM FINAL TABLE (";
      case POSTGRESQL ->
          "WITH reserved AS ("
              + advanceEventSequencer(Integer.toString(count), wait)
              + " RETURNING last_sequence) ";
    };
  }

  /** What closes an INSERT opened by {@link #openInsertReservingEventSequences}. */
  public String closeInsertReservingEventSequences() {
    return switch (this) {
      case H2 -> ")";
      case POSTGRESQL -> " RETURNING sequence";
    };
  }

  /**
   * The sequence of row {@code index} (in the order written) of an INSERT of {@code count} events
   * opened by {@link #openInsertReservingEventSequences}. PostgreSQL: the counter after the {@code
   * WITH} clause's advance less the row's distance from the last row, null when the reserve found
   * the lock taken. H2: for the first row, the counter advanced past every row (waiting for the
   * lock) less the others, kept in the session variable {@code @orchestrion_first_event}; for a
   * later row, that variable plus the row's index.
   */
  public String reservedEventSequence(int index, int count) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("row " + index + " of " + count);
    }
    int fromLast = count - 1 - index;
    return switch (this) {
      case H2 ->
          index == 0
              ? "SET(@orchestrion_first_event, (SELECT last_sequence FROM FINAL TABLE ("
                  + advanceEventSequencer(Integer.toString(count), true)
                  + ")) - "
                  + (count - 1)
                  + ")"
              : "@orchestrion_first_event + " + index;
      case POSTGRESQL ->
          fromLast == 0
              ? "(SELECT last_sequence FROM reserved)"
              : "(SELECT last_sequence FROM reserved) - " + fromLast;
    };
  }

  /**
   * {@code numbering} (a statement of {@link #numberUnsequencedEvents} or {@link
   * #numberListedEvents}, same parameters) and the sequencer counter's advance past the events it
   * numbered, as one statement whose one row is how many it numbered (the counter is not written
   * when none); the caller holds the sequencer's lock. PostgreSQL runs both as data-modifying
   * {@code WITH} clauses, each exactly once; empty on H2, where the caller advances the counter in
   * a statement of its own.
   */
  public Optional<String> numberEventsAndAdvance(String numbering) {
    return switch (this) {
      case H2 -> Optional.empty();
      case POSTGRESQL ->
          Optional.of(
              "WITH numbered_now AS ("
                  + numbering
                  + " RETURNING 1), advanced AS (UPDATE event_sequencer SET last_sequence ="
                  + " last_sequence + (SELECT COUNT(*) FROM numbered_now) WHERE id = 1"
                  + " AND EXISTS (SELECT 1 FROM numbered_now)) SELECT COUNT(*) FROM numbered_now");
    };
  }

  /** The Flyway placeholders that let one migration script serve every dialect. */
  public Map<String, String> migrationPlaceholders() {
    return Map.of(
        "json_type",
        jsonType,
        "binary_type",
        binaryType,
        "text_collation",
        textCollation,
        "identity_cache",
        identityCache);
  }
}

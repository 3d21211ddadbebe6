package io.orchestrion.engine.run;

import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.queue.JobTable;
import io.orchestrion.engine.queue.NewJob;
import io.orchestrion.engine.run.model.RunState;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The run tables as the run package uses them: loads {@link RunState}s ({@link RunLoader}; under
 * the run's row lock, which serialises the commands of one run across threads and nodes), writes
 * what changed ({@link RunWriter}), and the few reads and writes around a run (a stored event,
 * rechecks of other runs, escalation rungs due).
 *
 * <p>The runs this node locked and wrote are kept in its {@link RunCache} once their transaction
 * commits (an after-commit action of the transaction, or of the savepoint, that loaded or wrote
 * them: a rollback discards it), and a lock whose revision matches takes the run's parts from
 * there.
 */
final class RunRepository {
  /**
   * The rows of the runs this transaction loaded or wrote, by run id: a run's second command in one
   * transaction (group commit) finds them. Forgotten when the transaction rolls back to a savepoint
   * ({@link Transaction#rollbackTo}).
   */
  private static final Transaction.Key<Map<String, RunRows>> IN_TRANSACTION =
      new Transaction.Key<>("run rows of this transaction");

  private final RunLoader loader;
  private final RunWriter writer;
  private final RunJson json;
  private final RunCache cache;

  @Inject
  RunRepository(RunLoader loader, RunWriter writer, RunJson json, RunCache cache) {
    this.loader = loader;
    this.writer = writer;
    this.json = json;
    this.cache = cache;
  }

  /**
   * Locks and loads a run with its submission and instances; empty if there is no such run. The
   * parts come from this node's cache when it has them at the revision read with the lock.
   */
  Optional<RunState> lockAndLoad(Transaction tx, String runId) throws SQLException {
    return lockAndLoad(tx, RunLoader.RunKey.id(runId));
  }

  /** Like {@link #lockAndLoad(Transaction, String)}, for the run {@code key} names. */
  Optional<RunState> lockAndLoad(Transaction tx, RunLoader.RunKey key) throws SQLException {
    Map<String, RunRows> inTransaction = tx.remembered(IN_TRANSACTION, t -> new HashMap<>());
    Optional<RunLoader.Loaded> loaded =
        loader.load(
            tx,
            key,
            true,
            (id, revision) ->
                Optional.ofNullable(inTransaction.get(id))
                    .filter(rows -> rows.revision() == revision)
                    .or(() -> cache.get(id, revision)));
    loaded.ifPresent(
        found -> {
          inTransaction.put(found.run().id(), found.rows());
          if (!found.fromCache()) {
            keepAfterCommit(tx, found.rows());
          }
        });
    return loaded.map(RunLoader.Loaded::run);
  }

  /** Loads a run without locking it, to show it. */
  Optional<RunState> read(Transaction tx, String runId) throws SQLException {
    return loader.load(tx, runId, false);
  }

  /** Writes everything the unit of work changed or created; then nothing is marked changed. */
  void flush(Transaction tx, RunState run) throws SQLException {
    long before = run.revision();
    boolean isNew = run.isNew();
    RunRows written = writer.flush(tx, run);
    if (isNew || written.revision() != before) {
      tx.remembered(IN_TRANSACTION, t -> new HashMap<>()).put(run.id(), written);
      keepAfterCommit(tx, written);
    }
  }

  /** Keeps {@code rows} in the cache once {@code tx} (or the savepoint it runs under) commits. */
  private void keepAfterCommit(Transaction tx, RunRows rows) {
    tx.afterCommit(() -> cache.put(rows));
  }

  Optional<RunEngine.StoredEvent> findEvent(Transaction tx, String eventId) throws SQLException {
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement(
                "SELECT run_id, kind, step_instance_id, step_status, attempt, payload FROM events"
                    + " WHERE event_id = ?")) {
      statement.setString(1, eventId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String stepStatus = rs.getString("step_status");
        return Optional.of(
            new RunEngine.StoredEvent(
                rs.getString("run_id"),
                io.orchestrion.api.run.EventKind.valueOf(rs.getString("kind")),
                rs.getString("step_instance_id"),
                stepStatus == null ? null : StepStatus.valueOf(stepStatus),
                rs.getInt("attempt"),
                rs.getString("payload")));
      }
    }
  }

  /**
   * Schedules an evaluation, due at {@code at}, of every IN_PROGRESS run about one of {@code
   * recordKeys} ({@code objectType/id}) other than {@code exceptRunId}. Returns how many.
   */
  int scheduleRechecksAbout(Transaction tx, Set<String> recordKeys, String exceptRunId, Instant at)
      throws SQLException {
    if (recordKeys.isEmpty()) {
      return 0;
    }
    List<String> runIds = new ArrayList<>();
    String marks = String.join(", ", Collections.nCopies(recordKeys.size(), "?"));
    try (PreparedStatement select =
        tx.connection()
            .prepareStatement(
                "SELECT run_id FROM submissions WHERE open_record_key IN (" + marks + ")")) {
      int index = 1;
      for (String key : recordKeys) {
        select.setString(index++, key);
      }
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          if (!rs.getString(1).equals(exceptRunId)) {
            runIds.add(rs.getString(1));
          }
        }
      }
    }
    if (runIds.isEmpty()) {
      return 0;
    }
    List<NewJob> rechecks = new ArrayList<>();
    for (String runId : runIds) {
      rechecks.add(NewJob.recheck(runId, at));
    }
    JobTable.insert(tx.connection(), rechecks, at);
    return runIds.size();
  }

  /** See {@link JobTable#takeEarlierRungs}. */
  List<Integer> takeEarlierRungs(Transaction tx, String workItemId, int rung) throws SQLException {
    return JobTable.takeEarlierRungs(tx.connection(), workItemId, rung);
  }

  Map<String, Object> readMap(String text) {
    return json.readMap(text);
  }

  String writeJson(Object value) {
    return json.write(value);
  }
}

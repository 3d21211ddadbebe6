package io.orchestrion.engine;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.records.RecordStores;
import io.orchestrion.engine.run.RunEngine;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * Records through the API. A record with a submission IN_PROGRESS is locked: only approval admins
 * may edit it (SPEC §3.1). An edit of such a record makes its run evaluate again in the same
 * transaction (SPEC §5.3: a change to the run's record made through the engine is a trigger).
 */
public final class RecordService {
  private final Database database;
  private final RecordStores recordStores;
  private final RunEngine runEngine;
  private final Assignees assignees;

  @Inject
  public RecordService(
      Database database, RecordStores recordStores, RunEngine runEngine, Assignees assignees) {
    this.assignees = assignees;
    this.database = database;
    this.recordStores = recordStores;
    this.runEngine = runEngine;
  }

  public RecordData create(String objectType, Map<String, Object> fields, String actorId) {
    return database.inTransaction(tx -> recordStores.open(tx).insert(objectType, fields, actorId));
  }

  public RecordData get(String objectType, String id) {
    return database.inTransaction(
        tx ->
            recordStores
                .open(tx)
                .find(objectType, id)
                .orElseThrow(
                    () -> OrchestrionException.notFound("Record " + objectType + " '" + id + "'")));
  }

  /**
   * Updates fields of a record.
   *
   * @param expectedVersion the version the caller read; empty to update whatever is stored
   */
  public RecordData update(
      String objectType,
      String id,
      Map<String, Object> changes,
      Optional<Long> expectedVersion,
      String actorId) {
    return database.inTransaction(
        tx -> {
          var store = recordStores.open(tx);
          RecordData current =
              store
                  .find(objectType, id)
                  .orElseThrow(
                      () ->
                          OrchestrionException.notFound("Record " + objectType + " '" + id + "'"));
          Optional<String[]> open = openSubmission(tx, objectType, id);
          if (open.isPresent() && !assignees.isApprovalAdmin(actorId)) {
            throw new OrchestrionException(
                StandardErrorCode.RECORD_LOCKED,
                "record %s '%s' is locked by submission '%s' IN_PROGRESS; only approval admins"
                    + " may edit it".formatted(objectType, id, open.get()[0]));
          }
          RecordData updated =
              store.update(
                  objectType, id, expectedVersion.orElse(current.version()), changes, actorId);
          if (open.isPresent()) {
            runEngine.evaluate(tx, open.get()[1]);
          }
          return updated;
        });
  }

  /** The open submission's id and run id, if the record has one. */
  private static Optional<String[]> openSubmission(Transaction tx, String objectType, String id)
      throws SQLException {
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement("SELECT id, run_id FROM submissions WHERE open_record_key = ?")) {
      statement.setString(1, objectType + "/" + id);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next()
            ? Optional.of(new String[] {rs.getString(1), rs.getString(2)})
            : Optional.empty();
      }
    }
  }
}

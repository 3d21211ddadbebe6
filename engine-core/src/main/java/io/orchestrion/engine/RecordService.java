package io.orchestrion.engine;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.engine.run.RunEngine;
import io.orchestrion.engine.security.ActorPermissions;
import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.RecordStore;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Records through the API. A record with a submission IN_PROGRESS is locked: only approval admins
 * may edit it (SPEC §3.1). An edit of such a record makes its run evaluate again in the same
 * transaction (SPEC §5.3: a change to the run's record made through the engine is a trigger).
 *
 * <p>The methods taking a {@link SecurityContext} enforce the caller's access (the HTTP API: USER
 * mode, so object permissions, field-level security and sharing); the ones taking an actor id trust
 * their caller (embedders, the demo) and only record the actor as CreatedBy/LastModifiedBy.
 */
public final class RecordService {
  private final UnitsOfWork units;
  private final RunEngine runEngine;
  private final ActorPermissions permissions;
  private final EngineSecurity security;
  private final ApproverFields approverFields;

  @Inject
  public RecordService(
      UnitsOfWork units,
      RunEngine runEngine,
      ActorPermissions permissions,
      EngineSecurity security,
      ApproverFields approverFields) {
    this.approverFields = approverFields;
    this.permissions = permissions;
    this.security = security;
    this.units = units;
    this.runEngine = runEngine;
  }

  public RecordData create(String objectType, Map<String, Object> fields, String actorId) {
    return units.call(uow -> uow.records().insert(objectType, fields, actorId));
  }

  /**
   * Creates a record as {@code caller}, enforcing their access.
   *
   * @throws OrchestrionException INSUFFICIENT_ACCESS naming the missing object or field permission
   */
  public RecordData create(String objectType, Map<String, Object> fields, SecurityContext caller) {
    return units.call(
        uow -> store(uow, Optional.of(caller)).insert(objectType, fields, caller.userId()));
  }

  public RecordData get(String objectType, String id) {
    return get(objectType, id, Optional.empty());
  }

  /**
   * A record as {@code caller} may see it: without the fields they may not read.
   *
   * @throws OrchestrionException NOT_FOUND when it does not exist, INSUFFICIENT_ACCESS when the
   *     caller may not read it
   */
  public RecordData get(String objectType, String id, SecurityContext caller) {
    return get(objectType, id, Optional.of(caller));
  }

  private RecordData get(String objectType, String id, Optional<SecurityContext> caller) {
    return units.call(
        uow -> {
          try {
            RecordData record =
                store(uow, caller)
                    .find(objectType, id)
                    .orElseThrow(
                        () ->
                            OrchestrionException.notFound(
                                "Record " + objectType + " '" + id + "'"));
            return caller
                .flatMap(user -> approverFields.forDecider(uow, objectType, id, user.userId()))
                .map(approverView -> merged(record, approverView))
                .orElse(record);
          } catch (OrchestrionException e) {
            // An eligible decider of an open work item reads the approver-visible fields.
            if (caller.isEmpty()
                || !e.getErrorCode().name().equals(StandardErrorCode.INSUFFICIENT_ACCESS.name())) {
              throw e;
            }
            return approverFields
                .forDecider(uow, objectType, id, caller.get().userId())
                .orElseThrow(() -> e);
          }
        });
  }

  /** The caller's own view, completed with the fields an approver may read. */
  private static RecordData merged(RecordData own, RecordData approverView) {
    Map<String, Object> fields = new LinkedHashMap<>(own.fields());
    approverView.fields().forEach(fields::putIfAbsent);
    return new RecordData(own.objectType(), fields, own.version());
  }

  /** The raw store, or the one enforcing the caller's access. */
  private RecordStore store(UnitOfWork uow, Optional<SecurityContext> caller) {
    RecordStore records = uow.records();
    return caller.isPresent()
        ? security.secured(uow.transaction(), records, caller.get())
        : records;
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
    return update(objectType, id, changes, expectedVersion, actorId, Optional.empty());
  }

  /**
   * Updates fields of a record as {@code caller}, enforcing their access (SPEC §7): they must be
   * able to read and edit the record and edit every changed field.
   */
  public RecordData update(
      String objectType,
      String id,
      Map<String, Object> changes,
      Optional<Long> expectedVersion,
      SecurityContext caller) {
    return update(objectType, id, changes, expectedVersion, caller.userId(), Optional.of(caller));
  }

  private RecordData update(
      String objectType,
      String id,
      Map<String, Object> changes,
      Optional<Long> expectedVersion,
      String actorId,
      Optional<SecurityContext> caller) {
    return units.call(
        uow -> {
          RecordStore store = store(uow, caller);
          RecordData current =
              store
                  .find(objectType, id)
                  .orElseThrow(
                      () ->
                          OrchestrionException.notFound("Record " + objectType + " '" + id + "'"));
          Optional<String[]> open = openSubmission(uow, objectType, id);
          if (open.isPresent() && !permissions.isApprovalAdmin(uow.directoryIndex(), actorId)) {
            throw new OrchestrionException(
                StandardErrorCode.RECORD_LOCKED,
                ("record %s '%s' is locked by submission '%s' IN_PROGRESS; only approval admins"
                        + " may edit it")
                    .formatted(objectType, id, open.get()[0]));
          }
          RecordData updated =
              store.update(
                  objectType, id, expectedVersion.orElse(current.version()), changes, actorId);
          if (open.isPresent()) {
            runEngine.evaluate(uow, open.get()[1]);
          }
          return updated;
        });
  }

  /** The open submission's id and run id, if the record has one. */
  private static Optional<String[]> openSubmission(UnitOfWork uow, String objectType, String id)
      throws SQLException {
    try (PreparedStatement statement =
        uow.connection()
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

package io.orchestrion.engine;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.Page;
import io.orchestrion.engine.api.SubmissionFilter;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.persistence.CacheRevisions;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.StoredStrings;
import io.orchestrion.engine.run.RunAdministration;
import io.orchestrion.engine.run.RunEngine;
import io.orchestrion.engine.run.RunViews;
import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.engine.work.CommandGroups;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.engine.work.Work;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.RecordStore;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Submits records for approval and lists submissions (SPEC §3.1). */
public final class SubmissionService {
  static final int MAX_PAGE_SIZE = 500;

  private final UnitsOfWork units;
  private final OrchestrationCatalog orchestrations;
  private final RunEngine runEngine;
  private final RunAdministration administration;
  private final RunViews views;
  private final EngineSecurity security;
  private final RunAudience audience;
  private final IdempotencyKeys idempotencyKeys;
  private final CommandGroups groups;

  @Inject
  public SubmissionService(
      UnitsOfWork units,
      OrchestrationCatalog orchestrations,
      RunEngine runEngine,
      RunAdministration administration,
      RunViews views,
      EngineSecurity security,
      RunAudience audience,
      IdempotencyKeys idempotencyKeys,
      EngineConfig config) {
    this.idempotencyKeys = idempotencyKeys;
    // A submission locks its record first (its flows may update it, its open-record key is
    // unique): groups apply their submissions in the order of that key.
    this.groups = CommandGroups.of(units, config, CommandGroups.LockOrder.KEY);
    this.security = security;
    this.audience = audience;
    this.units = units;
    this.orchestrations = orchestrations;
    this.runEngine = runEngine;
    this.administration = administration;
    this.views = views;
  }

  /**
   * Creates the submission and its run and runs the first evaluation pass in one transaction;
   * synchronous steps have run when this returns. A flow failure does not fail the call: the
   * submission is returned in ERROR (SPEC §3.4).
   *
   * @throws OrchestrionException NOT_FOUND for an unknown record or an orchestration without an
   *     active version, CONFLICT when the record already has a submission IN_PROGRESS
   */
  public SubmissionView submit(SubmitRequest request, String actorId) {
    return submit(request, actorId, Optional.empty(), Optional.empty());
  }

  /**
   * Like {@link #submit(SubmitRequest, String)}, once per {@code idempotencyKey} of {@code actorId}
   * (SPEC §12): repeating the request with the same key returns the submission it created, as it is
   * now, instead of a conflict. The key is stored in the submitting transaction.
   *
   * @throws OrchestrionException CONFLICT when the key was used for a different request
   */
  public SubmissionView submit(
      SubmitRequest request, String actorId, Optional<String> idempotencyKey) {
    return submit(request, actorId, Optional.empty(), idempotencyKey);
  }

  /**
   * Like {@link #submit(SubmitRequest, String)} for a caller whose access is enforced (the HTTP
   * API: USER mode): the caller must be able to read the record (SPEC §7).
   *
   * @throws OrchestrionException INSUFFICIENT_ACCESS when the caller may not read the record
   */
  public SubmissionView submit(SubmitRequest request, SecurityContext caller) {
    return submit(request, caller.userId(), Optional.of(caller), Optional.empty());
  }

  /** Both of the above: access enforced, and once per {@code idempotencyKey} of the caller. */
  public SubmissionView submit(
      SubmitRequest request, SecurityContext caller, Optional<String> idempotencyKey) {
    return submit(request, caller.userId(), Optional.of(caller), idempotencyKey);
  }

  private SubmissionView submit(
      SubmitRequest request,
      String actorId,
      Optional<SecurityContext> caller,
      Optional<String> idempotencyKey) {
    List<Problem> problems = new ArrayList<>();
    StoredStrings.check(
        problems, "$.objectType", request.objectType(), StoredStrings.OBJECT_TYPE_LENGTH);
    StoredStrings.check(problems, "$.recordId", request.recordId(), StoredStrings.RECORD_ID_LENGTH);
    StoredStrings.check(
        problems,
        "$.orchestration",
        request.orchestration(),
        StoredStrings.DEFINITION_API_NAME_LENGTH);
    StoredStrings.check(
        problems, "$.comments", request.comments().orElse(null), StoredStrings.COMMENTS_LENGTH);
    StoredStrings.failOn(problems, StandardErrorCode.INVALID_REQUEST, "Submission request");
    Work<SubmissionView> effect = uow -> submitInUnitOfWork(uow, request, actorId, caller);
    try {
      if (idempotencyKey.isEmpty()) {
        // Submissions arriving together may share a transaction (group commit). A keyed one runs
        // alone: its key's row makes a concurrent duplicate wait, which must not hold a group.
        return groups.call(openRecordKey(request), effect);
      }
      return idempotencyKeys.once(
          actorId,
          idempotencyKey,
          IdempotencyKeys.Operation.SUBMIT,
          String.join(
              "\n",
              request.objectType(),
              request.recordId(),
              request.orchestration(),
              request.comments().orElse("")),
          effect,
          SubmissionView::id,
          (uow, submissionId) -> views.submission(uow.transaction(), submissionId).orElseThrow());
    } catch (OrchestrionException e) {
      if (JdbcValues.isUniqueViolationOf(e, "submissions_one_open_per_record")) {
        // Two submits raced past the check below; the unique key let one through.
        throw openSubmissionConflict(request, findOpen(request).orElse("(just created)"));
      }
      throw e;
    }
  }

  private SubmissionView submitInUnitOfWork(
      UnitOfWork uow, SubmitRequest request, String actorId, Optional<SecurityContext> caller)
      throws SQLException {
    // The open-submission check carries the cache revisions, which the orchestration's lookup
    // needs next; its answer waits until the orchestration and the record are known to exist.
    Optional<String> open = findOpenReadingRevisions(uow, request);
    CompiledOrchestration orchestration =
        orchestrations
            .active(uow.transaction(), request.orchestration())
            .orElseThrow(
                () ->
                    OrchestrionException.notFound(
                        "An active version of orchestration '" + request.orchestration() + "'"));
    String objectType = orchestration.definition().objectType();
    if (!objectType.equals(request.objectType())) {
      String message =
          "orchestration '%s' approves %s records, not %s"
              .formatted(request.orchestration(), objectType, request.objectType());
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          message,
          List.of(new Problem("$.objectType", message)));
    }
    RecordStore records = uow.records();
    if (caller.isPresent()) {
      records = security.secured(records, caller.get(), uow::directoryIndex);
    }
    if (records.find(objectType, request.recordId()).isEmpty()) {
      throw OrchestrionException.notFound("Record " + objectType + " '" + request.recordId() + "'");
    }
    if (open.isPresent()) {
      throw openSubmissionConflict(request, open.get());
    }
    // The answer is the submission as this transaction wrote it, built by the run engine: a fresh
    // read of it would return the same (AnswersAsWrittenContract).
    return runEngine
        .startRun(uow, orchestration, objectType, request.recordId(), actorId, request.comments())
        .submission();
  }

  private static OrchestrionException openSubmissionConflict(
      SubmitRequest request, String submissionId) {
    return new OrchestrionException(
        StandardErrorCode.CONFLICT,
        "record %s '%s' already has submission '%s' IN_PROGRESS; recall or finish it first"
            .formatted(request.objectType(), request.recordId(), submissionId));
  }

  private Optional<String> findOpen(SubmitRequest request) {
    return units.call(uow -> findOpen(uow, request));
  }

  /**
   * {@link #findOpen(UnitOfWork, SubmitRequest)} in the submit's first statement, which also reads
   * the cache revisions for the transaction ({@link CacheRevisions#SELECTED}): one statement where
   * the open-record check and the revisions' read were two.
   */
  private static Optional<String> findOpenReadingRevisions(UnitOfWork uow, SubmitRequest request)
      throws SQLException {
    try (PreparedStatement statement =
        uow.connection()
            .prepareStatement(
                "SELECT (SELECT id FROM submissions WHERE open_record_key = ?), "
                    + CacheRevisions.SELECTED)) {
      statement.setString(1, openRecordKey(request));
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        CacheRevisions.remember(uow.transaction(), CacheRevisions.read(rs, 2));
        return Optional.ofNullable(rs.getString(1));
      }
    }
  }

  private static String openRecordKey(SubmitRequest request) {
    return request.objectType() + "/" + request.recordId();
  }

  private static Optional<String> findOpen(UnitOfWork uow, SubmitRequest request)
      throws SQLException {
    try (PreparedStatement statement =
        uow.connection().prepareStatement("SELECT id FROM submissions WHERE open_record_key = ?")) {
      statement.setString(1, openRecordKey(request));
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * Recalls an IN_PROGRESS submission (the submitter or an approval admin; SPEC §3.1): it becomes
   * RECALLED at once, open work items RECALLED, and the orchestration's recall stage runs if it has
   * one.
   */
  public SubmissionView recall(String submissionId, Optional<String> comments, String actorId) {
    checkComments(comments, "Recall");
    return units.call(
        uow -> {
          administration.recall(uow, runOf(uow, submissionId), comments, actorId);
          return views.submission(uow.transaction(), submissionId).orElseThrow();
        });
  }

  /** Cancels an IN_PROGRESS submission (approval admins; SPEC §3.1): CANCELED, no recall stage. */
  public SubmissionView cancel(String submissionId, Optional<String> comments, String actorId) {
    checkComments(comments, "Cancellation");
    return units.call(
        uow -> {
          administration.cancel(uow, runOf(uow, submissionId), comments, actorId);
          return views.submission(uow.transaction(), submissionId).orElseThrow();
        });
  }

  private static void checkComments(Optional<String> comments, String what) {
    List<Problem> problems = new ArrayList<>();
    StoredStrings.check(
        problems, "$.comments", comments.orElse(null), StoredStrings.COMMENTS_LENGTH);
    StoredStrings.failOn(problems, StandardErrorCode.INVALID_REQUEST, what);
  }

  private static String runOf(UnitOfWork uow, String submissionId) throws SQLException {
    try (PreparedStatement statement =
        uow.connection().prepareStatement("SELECT run_id FROM submissions WHERE id = ?")) {
      statement.setString(1, submissionId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          throw OrchestrionException.notFound("Submission '" + submissionId + "'");
        }
        return rs.getString(1);
      }
    }
  }

  public SubmissionView get(String id) {
    return units
        .call(uow -> views.submission(uow.transaction(), id))
        .orElseThrow(() -> OrchestrionException.notFound("Submission '" + id + "'"));
  }

  /**
   * Lists submissions oldest first ({@code createdAt}, then id: a stable order), {@code limit} at a
   * time (1 to 500).
   */
  public Page<SubmissionView> list(SubmissionFilter filter, Optional<String> cursor, int limit) {
    return list(filter, cursor, limit, Optional.empty());
  }

  /**
   * Like {@link #list(SubmissionFilter, Optional, int)}, only the submissions {@code userId} may
   * see ({@link RunAudience}); the filter is applied in SQL, so pages stay full.
   */
  public Page<SubmissionView> listVisibleTo(
      String userId, SubmissionFilter filter, Optional<String> cursor, int limit) {
    return list(
        filter,
        cursor,
        limit,
        audience.seesAll(userId)
            ? Optional.empty()
            : Optional.of(audience.runCondition("run_id", userId)));
  }

  private Page<SubmissionView> list(
      SubmissionFilter filter,
      Optional<String> cursor,
      int limit,
      Optional<RunAudience.Condition> visible) {
    PageCursor.requireLimit(limit, MAX_PAGE_SIZE);
    Optional<PageCursor> after = cursor.map(PageCursor::decode);
    return units.call(
        uow -> {
          StringBuilder sql =
              new StringBuilder("SELECT ")
                  .append(RunViews.SUBMISSION_COLUMNS)
                  .append(" FROM submissions WHERE 1 = 1");
          List<Object> parameters = new ArrayList<>();
          filter
              .objectType()
              .ifPresent(
                  value -> {
                    sql.append(" AND object_type = ?");
                    parameters.add(value);
                  });
          filter
              .recordId()
              .ifPresent(
                  value -> {
                    sql.append(" AND record_id = ?");
                    parameters.add(value);
                  });
          filter
              .status()
              .ifPresent(
                  value -> {
                    sql.append(" AND status = ?");
                    parameters.add(value.name());
                  });
          filter
              .submitterId()
              .ifPresent(
                  value -> {
                    sql.append(" AND submitter_id = ?");
                    parameters.add(value);
                  });
          visible.ifPresent(
              condition -> {
                sql.append(" AND ").append(condition.sql());
                parameters.addAll(condition.parameters());
              });
          after.ifPresent(position -> position.appendAfter(sql, parameters, ""));
          sql.append(" ORDER BY created_at, id FETCH FIRST ")
              .append(limit + 1)
              .append(" ROWS ONLY");
          List<SubmissionView> items = new ArrayList<>();
          try (PreparedStatement statement = uow.connection().prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
              statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
              while (rs.next()) {
                items.add(RunViews.submission(rs));
              }
            }
          }
          Page<SubmissionView> page =
              PageCursor.page(items, limit, item -> new PageCursor(item.createdAt(), item.id()));
          var histories =
              views.histories(
                  uow.transaction(), page.items().stream().map(SubmissionView::id).toList());
          return new Page<>(
              page.items().stream()
                  .map(item -> item.withHistory(histories.getOrDefault(item.id(), List.of())))
                  .toList(),
              page.nextCursor());
        });
  }
}

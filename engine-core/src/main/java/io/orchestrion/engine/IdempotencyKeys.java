package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.definitions.DefinitionStore;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.engine.work.Work;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency keys in the database (SPEC §12): a create or decide request sent with a key has its
 * effect once per user and key, on any node, for {@link EngineConfig#idempotencyKeyRetention()}.
 *
 * <p>The key's row is inserted at the start of the transaction that has the effect, and gets the
 * result's id before it commits: the key exists exactly when the effect does. A concurrent request
 * with the same key blocks on the row's unique constraint until the first transaction ends; if that
 * committed, the insert fails and the request is answered from the row in a new transaction, if it
 * rolled back, the request has the effect itself. Expired rows are deleted, at most {@value
 * #PURGE_BATCH} at a time and at most once per {@link #PURGE_INTERVAL} per engine, after a keyed
 * request commits.
 */
public final class IdempotencyKeys {
  /** Longest key accepted; longer ones are refused naming the key. */
  public static final int MAX_KEY_LENGTH = 200;

  static final int PURGE_BATCH = 500;
  static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
  // Three tries: a concurrent first request that commits makes the second try replay it.
  private static final int ATTEMPTS = 3;
  private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

  /** What a key protects; a key used for one operation cannot be reused for another. */
  public enum Operation {
    SUBMIT,
    DECIDE
  }

  /** Reads the result a key recorded, in the replaying unit of work. */
  @FunctionalInterface
  public interface Replay<T> {
    T result(UnitOfWork uow, String resultId) throws SQLException;
  }

  private final UnitsOfWork units;
  private final Clock clock;
  private final Duration retention;
  private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

  @Inject
  public IdempotencyKeys(UnitsOfWork units, Clock clock, EngineConfig config) {
    this.units = requireNonNull(units, "units is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.retention = config.idempotencyKeyRetention();
  }

  /**
   * Runs {@code effect} in a unit of work, once per ({@code userId}, {@code key}) while the key is
   * kept; later calls with the same key and request get {@code replay} of the first result.
   *
   * @param request what was asked, in full (e.g. the submission's record, orchestration and
   *     comments): the same key with a different request is refused
   * @param resultId the id of the effect's result, which {@code replay} reads back
   * @throws OrchestrionException INVALID_REQUEST for a blank or too long key, CONFLICT when the key
   *     was used for a different request
   */
  public <T> T once(
      String userId,
      Optional<String> key,
      Operation operation,
      String request,
      Work<T> effect,
      Function<T, String> resultId,
      Replay<T> replay) {
    requireNonNull(userId, "userId is null");
    requireNonNull(key, "key is null");
    requireNonNull(operation, "operation is null");
    requireNonNull(request, "request is null");
    if (key.isEmpty()) {
      return units.call(effect);
    }
    String checkedKey = checkKey(key.get());
    String requestHash = DefinitionStore.sha256(operation + "\n" + request);
    for (int attempt = 1; ; attempt++) {
      try {
        T result =
            units.call(
                uow -> {
                  Instant now = uow.now().truncatedTo(ChronoUnit.MICROS);
                  Transaction tx = uow.transaction();
                  Optional<String> first =
                      claim(tx, userId, checkedKey, operation, requestHash, now);
                  if (first.isPresent()) {
                    return replay.result(uow, first.get());
                  }
                  T done = effect.run(uow);
                  record(tx, userId, checkedKey, resultId.apply(done));
                  return done;
                });
        purgeOccasionally();
        return result;
      } catch (ClaimedConcurrently e) {
        if (attempt == ATTEMPTS) {
          throw new OrchestrionException(
              StandardErrorCode.CONFLICT,
              "Idempotency-Key '"
                  + checkedKey
                  + "' is being used by a concurrent request that has not finished; retry later");
        }
      }
    }
  }

  /**
   * Deletes up to {@value #PURGE_BATCH} expired keys; returns how many. The engine calls it after
   * keyed requests; an embedder may call it on its own schedule.
   */
  public int purgeExpired() {
    return units.call(
        uow -> {
          Instant now = uow.now().truncatedTo(ChronoUnit.MICROS);
          try (PreparedStatement delete =
              uow.connection()
                  .prepareStatement(
                      "DELETE FROM idempotency_keys WHERE id IN (SELECT id FROM idempotency_keys"
                          + " WHERE expires_at <= ? ORDER BY expires_at FETCH FIRST "
                          + PURGE_BATCH
                          + " ROWS ONLY)")) {
            JdbcValues.setInstant(delete, 1, now);
            return delete.executeUpdate();
          }
        });
  }

  private void purgeOccasionally() {
    Instant now = clock.instant();
    Instant last = lastPurge.get();
    if (now.isBefore(last.plus(PURGE_INTERVAL)) || !lastPurge.compareAndSet(last, now)) {
      return;
    }
    try {
      int purged = purgeExpired();
      if (purged > 0) {
        log.debug("Deleted {} expired idempotency keys", purged);
      }
    } catch (OrchestrionException e) {
      // The request has succeeded; the next purge retries.
      log.warn("Could not delete expired idempotency keys: {}", e.getMessage());
    }
  }

  private static String checkKey(String key) {
    String trimmed = key.strip();
    if (trimmed.isEmpty() || trimmed.length() > MAX_KEY_LENGTH) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "Idempotency-Key must have 1 to "
              + MAX_KEY_LENGTH
              + " characters, was "
              + trimmed.length()
              + (trimmed.isEmpty() ? "" : ": '" + trimmed.substring(0, 40) + "...'"));
    }
    return trimmed;
  }

  /**
   * The result id of the key's unexpired first request, or empty after inserting this request's
   * claim on the key.
   */
  private Optional<String> claim(
      Transaction tx,
      String userId,
      String key,
      Operation operation,
      String requestHash,
      Instant now)
      throws SQLException {
    try (PreparedStatement select =
        tx.connection()
            .prepareStatement(
                "SELECT operation, request_hash, result_id, expires_at FROM idempotency_keys"
                    + " WHERE user_id = ? AND idempotency_key = ?")) {
      select.setString(1, userId);
      select.setString(2, key);
      try (ResultSet rows = select.executeQuery()) {
        if (rows.next()) {
          Instant expiresAt = JdbcValues.getInstant(rows, "expires_at").orElseThrow();
          if (expiresAt.isAfter(now)) {
            if (!operation.name().equals(rows.getString("operation"))
                || !requestHash.equals(rows.getString("request_hash"))) {
              throw new OrchestrionException(
                  StandardErrorCode.CONFLICT,
                  "Idempotency-Key '"
                      + key
                      + "' was already used for a different request (until "
                      + expiresAt
                      + "); send a new key with a new request");
            }
            return Optional.of(rows.getString("result_id"));
          }
        }
      }
    }
    try (PreparedStatement expired =
        tx.connection()
            .prepareStatement(
                "DELETE FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ?"
                    + " AND expires_at <= ?")) {
      expired.setString(1, userId);
      expired.setString(2, key);
      JdbcValues.setInstant(expired, 3, now);
      expired.executeUpdate();
    }
    try (PreparedStatement insert =
        tx.connection()
            .prepareStatement(
                "INSERT INTO idempotency_keys (user_id, idempotency_key, operation, request_hash,"
                    + " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, userId);
      insert.setString(2, key);
      insert.setString(3, operation.name());
      insert.setString(4, requestHash);
      JdbcValues.setInstant(insert, 5, now);
      JdbcValues.setInstant(insert, 6, now.plus(retention));
      insert.executeUpdate();
    } catch (SQLException e) {
      if (JdbcValues.isUniqueViolation(e)) {
        throw new ClaimedConcurrently();
      }
      throw e;
    }
    return Optional.empty();
  }

  private static void record(Transaction tx, String userId, String key, String resultId)
      throws SQLException {
    try (PreparedStatement update =
        tx.connection()
            .prepareStatement(
                "UPDATE idempotency_keys SET result_id = ? WHERE user_id = ? AND"
                    + " idempotency_key = ?")) {
      update.setString(1, resultId);
      update.setString(2, userId);
      update.setString(3, key);
      update.executeUpdate();
    }
  }

  /** Another transaction inserted the key first and committed: the next try replays it. */
  private static final class ClaimedConcurrently extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClaimedConcurrently() {
      super(null, null, false, false);
    }
  }
}

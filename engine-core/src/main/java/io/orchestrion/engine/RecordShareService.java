package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.engine.directory.DirectoryChecks;
import io.orchestrion.engine.directory.DirectoryTables;
import io.orchestrion.engine.directory.DirectoryWrites;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.records.RecordStores;
import io.orchestrion.engine.security.ShareManagers;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.directory.RecordShare;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * Explicit record shares (SPEC §7): who shares a record with which user, public group or role. The
 * methods taking a {@link SecurityContext} check that the caller may manage the record's shares
 * ({@link ShareManagers}); the others trust their caller. Shares are read by SQL at query time, so
 * a change neither bumps the directory revision nor drops the directory index.
 */
public final class RecordShareService {
  private final Database database;
  private final RecordStores recordStores;
  private final ShareManagers shareManagers;
  private final Clock clock;

  @Inject
  public RecordShareService(
      Database database, RecordStores recordStores, ShareManagers shareManagers, Clock clock) {
    this.database = requireNonNull(database, "database is null");
    this.recordStores = requireNonNull(recordStores, "recordStores is null");
    this.shareManagers = requireNonNull(shareManagers, "shareManagers is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Shares a record (replacing an earlier share to the same grantee) on {@code caller}'s behalf.
   *
   * @throws OrchestrionException NOT_FOUND when the record does not exist, PERMISSION_DENIED when
   *     the caller may not manage its shares (security.ShareManagers)
   */
  public RecordShare share(SecurityContext caller, RecordShare share) {
    requireNonNull(caller, "caller is null");
    requireNonNull(share, "share is null");
    return database.inTransaction(
        tx -> {
          shareManagers.require(
              tx,
              recordStores.open(tx, clock.instant()),
              caller.userId(),
              share.objectType(),
              share.recordId());
          return share(tx, share, caller.userId());
        });
  }

  /**
   * Shares a record (replacing an earlier share to the same grantee), trusting {@code actorId}: no
   * access check (see {@link #share(SecurityContext, RecordShare)}).
   */
  public RecordShare share(RecordShare share, String actorId) {
    requireNonNull(share, "share is null");
    requireNonNull(actorId, "actorId is null");
    return database.inTransaction(tx -> share(tx, share, actorId));
  }

  private RecordShare share(Transaction tx, RecordShare share, String actorId) throws SQLException {
    Connection connection = tx.connection();
    if (recordStores
        .open(tx, clock.instant())
        .find(share.objectType(), share.recordId())
        .isEmpty()) {
      throw OrchestrionException.notFound(
          "Record '" + share.recordId() + "' of '" + share.objectType() + "'");
    }
    boolean granteeExists =
        switch (share.granteeType()) {
          case USER -> DirectoryTables.user(connection, "id", share.granteeId()).isPresent();
          case GROUP -> DirectoryWrites.exists(connection, "directory_groups", share.granteeId());
          case ROLE -> DirectoryWrites.exists(connection, "directory_roles", share.granteeId());
        };
    if (!granteeExists) {
      DirectoryChecks.failOn(
          List.of(
              new Problem(
                  "$.granteeId",
                  share.granteeType() + " '" + share.granteeId() + "' does not exist")),
          "Share of record '" + share.recordId() + "'");
    }
    DirectoryWrites.update(
        connection,
        "DELETE FROM record_shares WHERE object_type = ? AND record_id = ? AND grantee_type"
            + " = ? AND grantee_id = ?",
        share.objectType(),
        share.recordId(),
        share.granteeType().name(),
        share.granteeId());
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO record_shares (object_type, record_id, grantee_type, grantee_id,"
                + " access_level, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      statement.setString(1, share.objectType());
      statement.setString(2, share.recordId());
      statement.setString(3, share.granteeType().name());
      statement.setString(4, share.granteeId());
      statement.setString(5, share.access().name());
      statement.setString(6, actorId);
      JdbcValues.setInstant(statement, 7, clock.instant());
      statement.executeUpdate();
    }
    return share;
  }

  /**
   * Removes a share on {@code caller}'s behalf.
   *
   * @throws OrchestrionException NOT_FOUND when the record or the share does not exist,
   *     PERMISSION_DENIED when the caller may not manage the record's shares
   */
  public void unshare(
      SecurityContext caller,
      String objectType,
      String recordId,
      RecordShare.GranteeType granteeType,
      String granteeId) {
    requireNonNull(caller, "caller is null");
    database.inTransaction(
        tx -> {
          shareManagers.require(
              tx, recordStores.open(tx, clock.instant()), caller.userId(), objectType, recordId);
          unshare(tx, objectType, recordId, granteeType, granteeId);
          return null;
        });
  }

  /**
   * Removes a share, with no access check.
   *
   * @throws OrchestrionException NOT_FOUND when there is no such share
   */
  public void unshare(
      String objectType, String recordId, RecordShare.GranteeType granteeType, String granteeId) {
    database.inTransaction(
        tx -> {
          unshare(tx, objectType, recordId, granteeType, granteeId);
          return null;
        });
  }

  private static void unshare(
      Transaction tx,
      String objectType,
      String recordId,
      RecordShare.GranteeType granteeType,
      String granteeId)
      throws SQLException {
    if (DirectoryWrites.update(
            tx.connection(),
            "DELETE FROM record_shares WHERE object_type = ? AND record_id = ? AND"
                + " grantee_type = ? AND grantee_id = ?",
            objectType,
            recordId,
            granteeType.name(),
            granteeId)
        == 0) {
      throw OrchestrionException.notFound(
          "Share of record '"
              + recordId
              + "' of '"
              + objectType
              + "' to "
              + granteeType
              + " '"
              + granteeId
              + "'");
    }
  }

  /**
   * The explicit shares of one record, by grantee, as {@code caller} may read them.
   *
   * @throws OrchestrionException NOT_FOUND when the record does not exist, PERMISSION_DENIED when
   *     the caller may not manage its shares
   */
  public List<RecordShare> shares(SecurityContext caller, String objectType, String recordId) {
    requireNonNull(caller, "caller is null");
    return database.inTransaction(
        tx -> {
          shareManagers.require(
              tx, recordStores.open(tx, clock.instant()), caller.userId(), objectType, recordId);
          return DirectoryTables.shares(tx.connection(), objectType, recordId);
        });
  }

  /** The explicit shares of one record, by grantee, with no access check. */
  public List<RecordShare> shares(String objectType, String recordId) {
    return database.inTransaction(
        tx -> DirectoryTables.shares(tx.connection(), objectType, recordId));
  }

  /** The explicit shares of one record, read in {@code tx}. */
  public static List<RecordShare> shares(Transaction tx, String objectType, String recordId) {
    try {
      return DirectoryTables.shares(tx.connection(), objectType, recordId);
    } catch (SQLException e) {
      throw Database.databaseError("reading the shares of record '" + recordId + "'", e);
    }
  }
}

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
import io.orchestrion.engine.security.ShareManagers;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.directory.RecordShare;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Explicit record shares (SPEC §7): who shares a record with which user, public group or role. The
 * methods taking a {@link SecurityContext} check that the caller may manage the record's shares
 * ({@link ShareManagers}); the others trust their caller. Shares are read by SQL at query time, so
 * a change neither bumps the directory revision nor drops the directory index.
 */
public final class RecordShareService {
  private final UnitsOfWork units;
  private final ShareManagers shareManagers;

  @Inject
  public RecordShareService(UnitsOfWork units, ShareManagers shareManagers) {
    this.units = requireNonNull(units, "units is null");
    this.shareManagers = requireNonNull(shareManagers, "shareManagers is null");
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
    return units.call(
        uow -> {
          shareManagers.require(
              uow.transaction(),
              uow.records(),
              caller.userId(),
              share.objectType(),
              share.recordId());
          return share(uow, share, caller.userId());
        });
  }

  /**
   * Shares a record (replacing an earlier share to the same grantee), trusting {@code actorId}: no
   * access check (see {@link #share(SecurityContext, RecordShare)}).
   */
  public RecordShare share(RecordShare share, String actorId) {
    requireNonNull(share, "share is null");
    requireNonNull(actorId, "actorId is null");
    return units.call(uow -> share(uow, share, actorId));
  }

  private static RecordShare share(UnitOfWork uow, RecordShare share, String actorId)
      throws SQLException {
    Connection connection = uow.connection();
    if (uow.records().find(share.objectType(), share.recordId()).isEmpty()) {
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
      JdbcValues.setInstant(statement, 7, uow.now());
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
    units.run(
        uow -> {
          shareManagers.require(
              uow.transaction(), uow.records(), caller.userId(), objectType, recordId);
          unshare(uow.transaction(), objectType, recordId, granteeType, granteeId);
        });
  }

  /**
   * Removes a share, with no access check.
   *
   * @throws OrchestrionException NOT_FOUND when there is no such share
   */
  public void unshare(
      String objectType, String recordId, RecordShare.GranteeType granteeType, String granteeId) {
    units.run(uow -> unshare(uow.transaction(), objectType, recordId, granteeType, granteeId));
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
    return units.call(
        uow -> {
          shareManagers.require(
              uow.transaction(), uow.records(), caller.userId(), objectType, recordId);
          return DirectoryTables.shares(uow.connection(), objectType, recordId);
        });
  }

  /** The explicit shares of one record, by grantee, with no access check. */
  public List<RecordShare> shares(String objectType, String recordId) {
    return units.call(uow -> DirectoryTables.shares(uow.connection(), objectType, recordId));
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

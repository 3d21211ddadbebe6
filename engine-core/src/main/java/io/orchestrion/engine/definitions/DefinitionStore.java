package io.orchestrion.engine.definitions;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.DefinitionHead;
import io.orchestrion.engine.api.DefinitionStatus;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The versions of flows and orchestrations (SPEC §2). It only keeps versions: what a definition
 * says is validated by the callers before they deploy or activate it.
 *
 * <p>Changes of one api name are serialised by locking its row in {@code definition_heads}, which
 * also remembers the highest version given out so that a deleted version's number is never reused.
 * Methods that take a {@link Transaction} join the caller's transaction; the others run in their
 * own.
 */
public final class DefinitionStore {
  /** Versions kept per definition (SPEC §11). */
  public static final int MAX_VERSIONS = 50;

  public static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");

  private static final String COLUMNS =
      "id, kind, api_name, version, status, document, checksum, analysis, created_at,"
          + " activated_at";

  private final Database database;
  private final Clock clock;
  private final ActiveVersions activeVersions = new ActiveVersions();

  @Inject
  public DefinitionStore(Database database, Clock clock) {
    this.database = requireNonNull(database, "database is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Stores {@code canonicalJson} as a new DRAFT version created at {@code now} (the command's
   * instant), numbered one above the highest version ever deployed. A document identical to the
   * latest version returns that version instead.
   *
   * @throws OrchestrionException INVALID_REQUEST for a bad api name, LIMIT_EXCEEDED when {@link
   *     #MAX_VERSIONS} versions exist already
   */
  public StoredDefinition deploy(
      Transaction tx,
      Instant now,
      DefinitionKind kind,
      String apiName,
      String canonicalJson,
      String analysisJson) {
    requireNonNull(now, "now is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(canonicalJson, "canonicalJson is null");
    requireNonNull(analysisJson, "analysisJson is null");
    checkApiName(kind, apiName);
    try {
      int latestGivenOut = lockOrCreateHead(tx, kind, apiName);
      String checksum = sha256(canonicalJson);
      VersionSummary summary = summary(tx.connection(), kind, apiName);
      if (summary.latest().isPresent() && summary.latestChecksum().equals(checksum)) {
        Optional<StoredDefinition> latest = find(tx, kind, apiName, summary.latest().getAsInt());
        if (latest.isPresent() && latest.get().document().equals(canonicalJson)) {
          return latest.get();
        }
      }
      if (summary.count() >= MAX_VERSIONS) {
        throw new OrchestrionException(
            StandardErrorCode.LIMIT_EXCEEDED,
            kind.displayName()
                + " '"
                + apiName
                + "' has "
                + summary.count()
                + " versions, the most that are kept: delete an old inactive version before"
                + " deploying a new one");
      }
      int version = latestGivenOut + 1;
      StoredDefinition stored =
          insert(
              tx.connection(), now, kind, apiName, version, canonicalJson, checksum, analysisJson);
      try (PreparedStatement update =
          tx.connection()
              .prepareStatement(
                  "UPDATE definition_heads SET latest_version = ? WHERE kind = ? AND api_name = ?")) {
        update.setInt(1, version);
        update.setString(2, kind.name());
        update.setString(3, apiName);
        update.executeUpdate();
      }
      return stored;
    } catch (SQLException e) {
      throw Database.databaseError("deploying " + kind.displayName() + " '" + apiName + "'", e);
    }
  }

  public StoredDefinition deploy(
      DefinitionKind kind, String apiName, String canonicalJson, String analysisJson) {
    Instant now = clock.instant();
    return database.inTransaction(
        tx -> deploy(tx, now, kind, apiName, canonicalJson, analysisJson));
  }

  public Optional<StoredDefinition> find(
      Transaction tx, DefinitionKind kind, String apiName, int version) {
    return queryOne(
        tx,
        "SELECT " + COLUMNS + " FROM definitions WHERE kind = ? AND api_name = ? AND version = ?",
        kind,
        apiName,
        version);
  }

  public Optional<StoredDefinition> find(DefinitionKind kind, String apiName, int version) {
    return database.inTransaction(tx -> find(tx, kind, apiName, version));
  }

  /**
   * The active version of {@code apiName}, if one is: from this node's cache while the definitions'
   * revision, read in {@code tx}, is unchanged ({@link ActiveVersions}).
   */
  public Optional<StoredDefinition> active(Transaction tx, DefinitionKind kind, String apiName) {
    requireNonNull(kind, "kind is null");
    requireNonNull(apiName, "apiName is null");
    return activeVersions.active(
        tx,
        kind,
        apiName,
        reader ->
            queryOne(
                reader,
                "SELECT " + COLUMNS + " FROM definitions WHERE kind = ? AND active_api_name = ?",
                kind,
                apiName,
                null));
  }

  public Optional<StoredDefinition> active(DefinitionKind kind, String apiName) {
    return database.inTransaction(tx -> active(tx, kind, apiName));
  }

  /** Every version of {@code apiName}, oldest first. */
  public List<StoredDefinition> versions(Transaction tx, DefinitionKind kind, String apiName) {
    requireNonNull(kind, "kind is null");
    requireNonNull(apiName, "apiName is null");
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM definitions WHERE kind = ? AND api_name = ? ORDER BY version")) {
      statement.setString(1, kind.name());
      statement.setString(2, apiName);
      return readAll(statement);
    } catch (SQLException e) {
      throw Database.databaseError(
          "reading the versions of " + kind.displayName() + " '" + apiName + "'", e);
    }
  }

  public List<StoredDefinition> versions(DefinitionKind kind, String apiName) {
    return database.inTransaction(tx -> versions(tx, kind, apiName));
  }

  /** The active version of every definition of {@code kind}, sorted by api name. */
  public List<StoredDefinition> activeVersions(Transaction tx, DefinitionKind kind) {
    requireNonNull(kind, "kind is null");
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM definitions WHERE kind = ? AND active_api_name IS NOT NULL"
                    + " ORDER BY api_name")) {
      statement.setString(1, kind.name());
      return readAll(statement);
    } catch (SQLException e) {
      throw Database.databaseError("listing the active " + kind.displayName() + " versions", e);
    }
  }

  public List<StoredDefinition> activeVersions(DefinitionKind kind) {
    return database.inTransaction(tx -> activeVersions(tx, kind));
  }

  /** The api names that have at least one version, sorted. */
  public List<String> apiNames(Transaction tx, DefinitionKind kind) {
    requireNonNull(kind, "kind is null");
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement(
                "SELECT DISTINCT api_name FROM definitions WHERE kind = ? ORDER BY api_name")) {
      statement.setString(1, kind.name());
      List<String> names = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
      return List.copyOf(names);
    } catch (SQLException e) {
      throw Database.databaseError("listing " + kind.displayName() + " names", e);
    }
  }

  public List<String> apiNames(DefinitionKind kind) {
    return database.inTransaction(tx -> apiNames(tx, kind));
  }

  /**
   * A page of the api names of {@code kind} that have at least one version, in api name order,
   * after {@code afterApiName} if given; at most {@code limit} heads.
   */
  public List<DefinitionHead> heads(
      Transaction tx, DefinitionKind kind, Optional<String> afterApiName, int limit) {
    requireNonNull(kind, "kind is null");
    requireNonNull(afterApiName, "afterApiName is null");
    String sql =
        "SELECT api_name, COUNT(*) AS versions, MAX(version) AS latest_version,"
            + " MAX(created_at) AS latest_created_at,"
            + " MAX(CASE WHEN status = 'ACTIVE' THEN version END) AS active_version,"
            + " MAX(CASE WHEN status = 'ACTIVE' THEN activated_at END) AS activated_at"
            + " FROM definitions WHERE kind = ?"
            + (afterApiName.isPresent() ? " AND api_name > ?" : "")
            + " GROUP BY api_name ORDER BY api_name LIMIT ?";
    try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
      int index = 1;
      statement.setString(index++, kind.name());
      if (afterApiName.isPresent()) {
        statement.setString(index++, afterApiName.get());
      }
      statement.setInt(index, limit);
      List<DefinitionHead> heads = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          int active = rows.getInt("active_version");
          boolean hasActive = !rows.wasNull();
          heads.add(
              new DefinitionHead(
                  rows.getString("api_name"),
                  rows.getInt("versions"),
                  rows.getInt("latest_version"),
                  JdbcValues.getInstant(rows, "latest_created_at").orElseThrow(),
                  hasActive ? Optional.of(active) : Optional.empty(),
                  JdbcValues.getInstant(rows, "activated_at")));
        }
      }
      return List.copyOf(heads);
    } catch (SQLException e) {
      throw Database.databaseError("listing " + kind.displayName() + " definitions", e);
    }
  }

  public List<DefinitionHead> heads(DefinitionKind kind, Optional<String> afterApiName, int limit) {
    return database.inTransaction(tx -> heads(tx, kind, afterApiName, limit));
  }

  /**
   * Makes {@code version} the only active version; the previously active one becomes INACTIVE.
   * Activating the active version changes nothing.
   *
   * @throws OrchestrionException NOT_FOUND
   */
  public StoredDefinition activate(
      Transaction tx, Instant activatedAt, DefinitionKind kind, String apiName, int version) {
    try {
      StoredDefinition target = lockVersion(tx, kind, apiName, version);
      if (target.isActive()) {
        return target;
      }
      Connection connection = tx.connection();
      try (PreparedStatement previous =
          connection.prepareStatement(
              "UPDATE definitions SET status = 'INACTIVE', active_api_name = NULL"
                  + " WHERE kind = ? AND active_api_name = ?")) {
        previous.setString(1, kind.name());
        previous.setString(2, apiName);
        previous.executeUpdate();
      }
      Instant now = activatedAt.truncatedTo(ChronoUnit.MICROS);
      try (PreparedStatement activate =
          connection.prepareStatement(
              "UPDATE definitions SET status = 'ACTIVE', active_api_name = api_name,"
                  + " activated_at = ? WHERE id = ?")) {
        JdbcValues.setInstant(activate, 1, now);
        activate.setLong(2, target.id());
        activate.executeUpdate();
      }
      activeVersions.changed(tx);
      return withStatus(target, DefinitionStatus.ACTIVE, Optional.of(now));
    } catch (SQLException e) {
      throw Database.databaseError(
          "activating " + kind.displayName() + " '" + apiName + "' version " + version, e);
    }
  }

  public StoredDefinition activate(DefinitionKind kind, String apiName, int version) {
    Instant now = clock.instant();
    return database.inTransaction(tx -> activate(tx, now, kind, apiName, version));
  }

  /**
   * Makes an active version INACTIVE, leaving {@code apiName} without an active version. A version
   * that is not active is returned unchanged.
   *
   * @throws OrchestrionException NOT_FOUND
   */
  public StoredDefinition deactivate(
      Transaction tx, DefinitionKind kind, String apiName, int version) {
    try {
      StoredDefinition target = lockVersion(tx, kind, apiName, version);
      if (!target.isActive()) {
        return target;
      }
      try (PreparedStatement deactivate =
          tx.connection()
              .prepareStatement(
                  "UPDATE definitions SET status = 'INACTIVE', active_api_name = NULL"
                      + " WHERE id = ?")) {
        deactivate.setLong(1, target.id());
        deactivate.executeUpdate();
      }
      activeVersions.changed(tx);
      return withStatus(target, DefinitionStatus.INACTIVE, target.activatedAt());
    } catch (SQLException e) {
      throw Database.databaseError(
          "deactivating " + kind.displayName() + " '" + apiName + "' version " + version, e);
    }
  }

  public StoredDefinition deactivate(DefinitionKind kind, String apiName, int version) {
    return database.inTransaction(tx -> deactivate(tx, kind, apiName, version));
  }

  /**
   * Deletes a version that is neither active nor in use according to {@code usage}. Its number is
   * not given out again.
   *
   * @throws OrchestrionException NOT_FOUND, or CONFLICT naming why it must stay
   */
  public void delete(
      Transaction tx, DefinitionKind kind, String apiName, int version, DefinitionUsage usage) {
    requireNonNull(usage, "usage is null");
    try {
      StoredDefinition target = lockVersion(tx, kind, apiName, version);
      if (target.isActive()) {
        throw new OrchestrionException(
            StandardErrorCode.CONFLICT,
            target.describe()
                + " is active and cannot be deleted: activate another version or deactivate it"
                + " first");
      }
      Optional<String> user = usage.usedBy(tx, target);
      if (user.isPresent()) {
        throw new OrchestrionException(
            StandardErrorCode.CONFLICT,
            target.describe() + " is still used by " + user.get() + " and cannot be deleted");
      }
      try (PreparedStatement delete =
          tx.connection().prepareStatement("DELETE FROM definitions WHERE id = ?")) {
        delete.setLong(1, target.id());
        delete.executeUpdate();
      }
    } catch (SQLException e) {
      throw Database.databaseError(
          "deleting " + kind.displayName() + " '" + apiName + "' version " + version, e);
    }
  }

  public void delete(DefinitionKind kind, String apiName, int version) {
    database.inTransaction(
        tx -> {
          delete(tx, kind, apiName, version, DefinitionUsage.NONE);
          return null;
        });
  }

  /** SHA-256 of the UTF-8 bytes of {@code document}, lower-case hex. */
  public static String sha256(String document) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(document.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }

  /**
   * The problem at {@code $.apiName} of a definition whose api name is invalid, if it is: the
   * services report it with the definition's other problems (422), before anything is stored.
   */
  public static Optional<Problem> apiNameProblem(DefinitionKind kind, String apiName) {
    requireNonNull(kind, "kind is null");
    requireNonNull(apiName, "apiName is null");
    if (API_NAME.matcher(apiName).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new Problem(
            "$.apiName",
            "'"
                + apiName
                + "' is not a valid "
                + kind.displayName().toLowerCase(java.util.Locale.ROOT)
                + " api name: a letter, then letters, digits or '_', at most 80"));
  }

  private static void checkApiName(DefinitionKind kind, String apiName) {
    requireNonNull(apiName, "apiName is null");
    if (!API_NAME.matcher(apiName).matches()) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "'"
              + apiName
              + "' is not a valid "
              + kind.displayName().toLowerCase(java.util.Locale.ROOT)
              + " api name: a letter, then letters, digits or '_', at most 80");
    }
  }

  /**
   * Locks the head row of {@code apiName}, creating it on the first deploy, and returns the highest
   * version given out so far. Two first deploys racing: the loser's insert fails on the primary
   * key, is rolled back to a savepoint (PostgreSQL aborts the transaction otherwise) and then waits
   * for the winner's row like any later deploy.
   */
  private static int lockOrCreateHead(Transaction tx, DefinitionKind kind, String apiName)
      throws SQLException {
    Connection connection = tx.connection();
    OptionalInt locked = lockHead(connection, kind, apiName);
    if (locked.isPresent()) {
      return locked.getAsInt();
    }
    Savepoint savepoint = tx.setSavepoint();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO definition_heads (kind, api_name, latest_version) VALUES (?, ?, 0)")) {
      insert.setString(1, kind.name());
      insert.setString(2, apiName);
      insert.executeUpdate();
      tx.releaseSavepoint(savepoint);
      return 0;
    } catch (SQLException e) {
      if (!JdbcValues.isUniqueViolation(e)) {
        throw e;
      }
      tx.rollbackTo(savepoint);
    }
    return lockHead(connection, kind, apiName)
        .orElseThrow(
            () ->
                new OrchestrionException(
                    StandardErrorCode.CONFLICT,
                    kind.displayName()
                        + " '"
                        + apiName
                        + "' was deployed concurrently by someone else: try again"));
  }

  private static OptionalInt lockHead(Connection connection, DefinitionKind kind, String apiName)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT latest_version FROM definition_heads WHERE kind = ? AND api_name = ?"
                + " FOR UPDATE")) {
      select.setString(1, kind.name());
      select.setString(2, apiName);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? OptionalInt.of(rows.getInt(1)) : OptionalInt.empty();
      }
    }
  }

  /** The version, after locking its api name so that no one activates or deletes meanwhile. */
  private StoredDefinition lockVersion(
      Transaction tx, DefinitionKind kind, String apiName, int version) throws SQLException {
    requireNonNull(kind, "kind is null");
    requireNonNull(apiName, "apiName is null");
    lockHead(tx.connection(), kind, apiName);
    return find(tx, kind, apiName, version)
        .orElseThrow(
            () ->
                OrchestrionException.notFound(
                    kind.displayName() + " '" + apiName + "' version " + version));
  }

  private record VersionSummary(int count, OptionalInt latest, String latestChecksum) {}

  private static VersionSummary summary(Connection connection, DefinitionKind kind, String apiName)
      throws SQLException {
    // At most MAX_VERSIONS short rows: cheaper than two queries.
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT version, checksum FROM definitions WHERE kind = ? AND api_name = ?"
                + " ORDER BY version DESC")) {
      select.setString(1, kind.name());
      select.setString(2, apiName);
      int count = 0;
      OptionalInt latest = OptionalInt.empty();
      String latestChecksum = "";
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          if (count == 0) {
            latest = OptionalInt.of(rows.getInt(1));
            latestChecksum = rows.getString(2);
          }
          count++;
        }
      }
      return new VersionSummary(count, latest, latestChecksum);
    }
  }

  private static StoredDefinition insert(
      Connection connection,
      Instant createdAt,
      DefinitionKind kind,
      String apiName,
      int version,
      String document,
      String checksum,
      String analysis)
      throws SQLException {
    Instant now = createdAt.truncatedTo(ChronoUnit.MICROS);
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO definitions (kind, api_name, version, status, document, checksum,"
                + " analysis, created_at) VALUES (?, ?, ?, 'DRAFT', ?, ?, ?, ?)",
            new String[] {"id"})) {
      insert.setString(1, kind.name());
      insert.setString(2, apiName);
      insert.setInt(3, version);
      insert.setString(4, document);
      insert.setString(5, checksum);
      insert.setString(6, analysis);
      JdbcValues.setInstant(insert, 7, now);
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("No id was generated for the new definition version");
        }
        return new StoredDefinition(
            keys.getLong(1),
            kind,
            apiName,
            version,
            DefinitionStatus.DRAFT,
            document,
            checksum,
            analysis,
            now,
            Optional.empty());
      }
    }
  }

  private static Optional<StoredDefinition> queryOne(
      Transaction tx, String sql, DefinitionKind kind, String apiName, Integer version) {
    requireNonNull(kind, "kind is null");
    requireNonNull(apiName, "apiName is null");
    try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
      statement.setString(1, kind.name());
      statement.setString(2, apiName);
      if (version != null) {
        statement.setInt(3, version);
      }
      List<StoredDefinition> found = readAll(statement);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    } catch (SQLException e) {
      throw Database.databaseError("reading " + kind.displayName() + " '" + apiName + "'", e);
    }
  }

  private static List<StoredDefinition> readAll(PreparedStatement statement) throws SQLException {
    List<StoredDefinition> definitions = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        String analysis = rows.getString("analysis");
        definitions.add(
            new StoredDefinition(
                rows.getLong("id"),
                DefinitionKind.valueOf(rows.getString("kind")),
                rows.getString("api_name"),
                rows.getInt("version"),
                DefinitionStatus.valueOf(rows.getString("status")),
                rows.getString("document"),
                rows.getString("checksum"),
                analysis == null ? "" : analysis,
                JdbcValues.getInstant(rows, "created_at").orElseThrow(),
                JdbcValues.getInstant(rows, "activated_at")));
      }
    }
    return List.copyOf(definitions);
  }

  private static StoredDefinition withStatus(
      StoredDefinition definition, DefinitionStatus status, Optional<Instant> activatedAt) {
    return new StoredDefinition(
        definition.id(),
        definition.kind(),
        definition.apiName(),
        definition.version(),
        status,
        definition.document(),
        definition.checksum(),
        definition.analysis(),
        definition.createdAt(),
        activatedAt);
  }
}

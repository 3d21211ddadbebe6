package io.orchestrion.engine.directory;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.persistence.CacheRevisions;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.persistence.TransactionCallback;
import io.orchestrion.spi.directory.Directory;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PermissionSetAssignment;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.Role;
import io.orchestrion.spi.directory.User;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The engine's {@link Directory} on the V3 tables. Each call reads in a transaction of its own;
 * {@link #within(Transaction)} reads on a caller's transaction instead, so that code already
 * holding a connection (an evaluation pass, a worker) does not take a second one from the pool.
 * Thread-safe.
 */
public final class JdbcDirectory implements Directory {
  private final Connector connector;

  @Inject
  public JdbcDirectory(Database database) {
    requireNonNull(database, "database is null");
    this.connector =
        new Connector() {
          @Override
          public <T> T read(Reader<T> reader) {
            return database.inTransaction(
                (TransactionCallback<T>) tx -> reader.read(tx.connection()));
          }

          @Override
          public long revision() {
            return read(DirectoryTables::revision);
          }
        };
  }

  private JdbcDirectory(Connector connector) {
    this.connector = connector;
  }

  /**
   * The directory as {@code tx} sees it (including its uncommitted changes); lives as long as tx.
   * Its revision is read once per transaction, together with the other cache revisions ({@link
   * CacheRevisions}).
   */
  public static Directory within(Transaction tx) {
    Connection connection = requireNonNull(tx, "tx is null").connection();
    return new JdbcDirectory(
        new Connector() {
          @Override
          public <T> T read(Reader<T> reader) {
            try {
              return reader.read(connection);
            } catch (SQLException e) {
              throw Database.databaseError("reading the directory", e);
            }
          }

          @Override
          public long revision() {
            return CacheRevisions.of(tx).directory();
          }
        });
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read(Connection connection) throws SQLException;
  }

  /** Where reads run: a transaction of their own, or a caller's connection. */
  private interface Connector {
    <T> T read(Reader<T> reader);

    long revision();
  }

  private <T> T read(Reader<T> reader) {
    return connector.read(reader);
  }

  @Override
  public long revision() {
    return connector.revision();
  }

  @Override
  public Optional<User> user(String id) {
    requireNonNull(id, "id is null");
    return read(connection -> DirectoryTables.user(connection, "id", id));
  }

  @Override
  public Optional<User> userByUsername(String username) {
    requireNonNull(username, "username is null");
    return read(connection -> DirectoryTables.user(connection, "username", username));
  }

  @Override
  public List<User> users() {
    return read(DirectoryTables::users);
  }

  @Override
  public List<Role> roles() {
    return read(DirectoryTables::roles);
  }

  @Override
  public List<PublicGroup> groups() {
    return read(
        connection ->
            DirectoryTables.groups(connection, "GROUP").values().stream()
                .map(DirectoryTables.GroupRow::group)
                .toList());
  }

  @Override
  public List<Queue> queues() {
    return read(
        connection ->
            DirectoryTables.groups(connection, "QUEUE").values().stream()
                .map(DirectoryTables.GroupRow::queue)
                .toList());
  }

  @Override
  public List<PermissionSet> permissionSets() {
    return read(DirectoryTables::permissionSets);
  }

  @Override
  public List<PermissionSetAssignment> assignments() {
    return read(DirectoryTables::assignments);
  }
}

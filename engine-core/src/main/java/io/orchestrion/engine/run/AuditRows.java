package io.orchestrion.engine.run;

import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.run.model.RunOutbox;
import io.orchestrion.engine.run.model.RunState;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/**
 * Writes the audit entries of a transaction ({@code audit_entries}) as one multi-row INSERT before
 * it commits ({@link Transaction#beforeCommit}; one per {@value #ROWS_PER_STATEMENT} entries): the
 * members of a group commit, a submission or a decision each, share the statement where each sent
 * its own. Entries keep the order they were added in, so a submission's history (read by id) keeps
 * the order its entries happened in. Code that reads the history in the transaction that wrote it
 * first has the gathered entries written ({@link #writeGathered}).
 */
final class AuditRows implements Transaction.BeforeCommit<AuditRows.Row> {
  static final int ROWS_PER_STATEMENT = 1000;
  private static final String INSERT =
      "INSERT INTO audit_entries (submission_id, action, performer_id, performer_role, channel,"
          + " comments, created_at) VALUES ";
  private static final String ROW = "(?, ?, ?, ?, ?, ?, ?)";

  @Inject
  AuditRows() {}

  /** One entry of a submission's history. */
  record Row(String submissionId, RunOutbox.AuditEntry entry) {}

  /** Hands the run's new audit entries to the transaction, to be written before it commits. */
  void write(Transaction tx, RunState run) {
    for (RunOutbox.AuditEntry entry : run.outbox().auditEntries()) {
      tx.beforeCommit(this, new Row(run.submission().id(), entry));
    }
  }

  /** Writes the entries gathered so far now, for a read of them in the same transaction. */
  void writeGathered(Transaction tx) throws SQLException {
    tx.writeGathered(this);
  }

  @Override
  public void write(Transaction tx, List<Row> rows) throws SQLException {
    for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
      insert(tx, rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)));
    }
  }

  private static void insert(Transaction tx, List<Row> rows) throws SQLException {
    String sql = INSERT + String.join(", ", Collections.nCopies(rows.size(), ROW));
    try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
      int index = 1;
      for (Row row : rows) {
        RunOutbox.AuditEntry entry = row.entry();
        statement.setString(index++, row.submissionId());
        statement.setString(index++, entry.action());
        statement.setString(index++, entry.performerId());
        statement.setString(index++, entry.performerRole());
        statement.setString(index++, entry.channel());
        Sql.setNullableString(statement, index++, entry.comments().orElse(null));
        JdbcValues.setNullableInstant(statement, index++, entry.at());
      }
      int inserted = statement.executeUpdate();
      if (inserted != rows.size()) {
        throw new SQLException("inserted " + inserted + " audit entries, not " + rows.size());
      }
    }
  }
}

package io.orchestrion.engine.definitions;

import io.orchestrion.engine.persistence.Transaction;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Tells whether a definition version is still in use (by a run, a paused interview...), which makes
 * deleting it impossible. Asked inside the deleting transaction.
 */
@FunctionalInterface
public interface DefinitionUsage {
  /** Nothing uses any definition. */
  DefinitionUsage NONE = (tx, definition) -> Optional.empty();

  /**
   * What still uses {@code definition}, for the error message (e.g. "run 42"), or empty when the
   * version may be deleted.
   */
  Optional<String> usedBy(Transaction tx, StoredDefinition definition) throws SQLException;
}

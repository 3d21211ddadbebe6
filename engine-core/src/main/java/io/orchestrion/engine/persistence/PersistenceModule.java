package io.orchestrion.engine.persistence;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * The persistence layer as singletons: {@link Database} and the housekeeping of an embedded H2 file
 * ({@link H2FileHousekeeping}). Needs a {@link javax.sql.DataSource} (already migrated, see {@link
 * Migrations}) bound elsewhere. The stores built on it (records, object types, definitions) are
 * bound by the engine's module with the features they belong to.
 */
public final class PersistenceModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(Database.class).in(Scopes.SINGLETON);
    bind(H2FileHousekeeping.class).in(Scopes.SINGLETON);
  }
}

package io.orchestrion.engine.persistence;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * The persistence layer as a singleton: {@link Database}. Needs a {@link javax.sql.DataSource}
 * (already migrated, see {@link Migrations}) bound elsewhere. The stores built on it (records,
 * object types, definitions) are bound by the engine's module with the features they belong to.
 */
public final class PersistenceModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(Database.class).in(Scopes.SINGLETON);
  }
}

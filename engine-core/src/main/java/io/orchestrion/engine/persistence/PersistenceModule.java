package io.orchestrion.engine.persistence;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import io.orchestrion.engine.definitions.DefinitionStore;
import io.orchestrion.engine.records.ObjectTypeService;
import io.orchestrion.engine.records.RecordStores;

/**
 * Persistence services as singletons. Needs a {@link javax.sql.DataSource} (already migrated, see
 * {@link Migrations}) and a {@link java.time.Clock} bound elsewhere.
 */
public final class PersistenceModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(Database.class).in(Scopes.SINGLETON);
    bind(ObjectTypeService.class).in(Scopes.SINGLETON);
    bind(RecordStores.class).in(Scopes.SINGLETON);
    bind(DefinitionStore.class).in(Scopes.SINGLETON);
  }
}

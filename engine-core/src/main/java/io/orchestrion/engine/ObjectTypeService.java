package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.security.SecurityContext;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** Object types (SPEC §2): define one, find one, list them. Thread-safe. */
public final class ObjectTypeService {
  private final ObjectTypeStore store;
  private final DefinitionAccess access;

  @Inject
  public ObjectTypeService(ObjectTypeStore store, DefinitionAccess access) {
    this.store = requireNonNull(store, "store is null");
    this.access = requireNonNull(access, "access is null");
  }

  /**
   * Like {@link #define(ObjectTypeDefinition)}, on {@code caller}'s behalf.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless the caller may deploy definitions
   *     (MANAGE_DEFINITIONS, {@link DefinitionAccess}), before anything else is checked
   */
  public ObjectTypeDefinition define(SecurityContext caller, ObjectTypeDefinition definition) {
    access.requireMayDeploy(caller);
    return define(definition);
  }

  /**
   * Creates the object type, or changes it: new fields become new columns; removing a field or
   * changing its type, scale or referenced object type is refused (CONFLICT) because stored values
   * would be lost. Defining an unchanged type again changes nothing. No access check: see {@link
   * #define(SecurityContext, ObjectTypeDefinition)}.
   *
   * @throws OrchestrionException INVALID_DEFINITION with every problem, or CONFLICT
   */
  public ObjectTypeDefinition define(ObjectTypeDefinition definition) {
    return store.define(definition);
  }

  /** The object type, if it is defined. */
  public Optional<ObjectTypeDefinition> find(String apiName) {
    return store.find(apiName);
  }

  /** Every object type, by API name. */
  public List<ObjectTypeDefinition> list() {
    return store.list();
  }
}

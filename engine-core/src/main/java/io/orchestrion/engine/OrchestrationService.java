package io.orchestrion.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.engine.api.DefinitionHead;
import io.orchestrion.engine.api.DeployedOrchestration;
import io.orchestrion.engine.api.Page;
import io.orchestrion.engine.definitions.DefinitionKind;
import io.orchestrion.engine.definitions.DefinitionStore;
import io.orchestrion.engine.definitions.StoredDefinition;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.orchestration.OrchestrationCompiler;
import io.orchestrion.engine.orchestration.OrchestrationCompiler.Purpose;
import io.orchestrion.engine.orchestration.OrchestrationDeployChecks;
import io.orchestrion.engine.orchestration.OrchestrationValidation;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.security.SecurityContext;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Deploys, lists, activates, deactivates and deletes orchestration versions (SPEC §2, §10).
 * Deploying validates the definition; flows that are missing or inactive are warnings for a draft
 * and errors for activation. The changes taking a {@link SecurityContext} check that the caller may
 * make them ({@link DefinitionAccess}); the others trust their caller.
 */
public final class OrchestrationService {
  private final Database database;
  private final DefinitionStore store;
  private final OrchestrationCompiler compiler;
  private final OrchestrationCatalog catalog;
  private final ObjectMapper mapper;
  private final DefinitionAccess access;

  @Inject
  public OrchestrationService(
      Database database,
      DefinitionStore store,
      OrchestrationCompiler compiler,
      OrchestrationCatalog catalog,
      ObjectMapper mapper,
      DefinitionAccess access) {
    this.database = database;
    this.store = store;
    this.compiler = compiler;
    this.catalog = catalog;
    this.mapper = mapper;
    this.access = access;
  }

  /**
   * Like {@link #deploy(OrchestrationDefinition, boolean)}, on {@code caller}'s behalf.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless the caller may deploy definitions
   *     (MANAGE_DEFINITIONS, {@link DefinitionAccess}), before anything else is checked
   */
  public DeployedOrchestration deploy(
      SecurityContext caller, OrchestrationDefinition definition, boolean activate) {
    access.requireMayDeploy(caller);
    return deploy(definition, activate);
  }

  /**
   * Like {@link #activate(String, int)}, on {@code caller}'s behalf.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless the caller may activate definitions
   *     (MANAGE_DEFINITIONS), before anything else is checked
   */
  public DeployedOrchestration activate(SecurityContext caller, String apiName, int version) {
    access.requireMayDeploy(caller);
    return activate(apiName, version);
  }

  /**
   * Like {@link #deactivate(String, int)}, on {@code caller}'s behalf.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless the caller may deactivate definition
   *     versions (MANAGE_DEFINITIONS), before anything else is checked
   */
  public DeployedOrchestration deactivate(SecurityContext caller, String apiName, int version) {
    access.requireMayRetire(caller);
    return deactivate(apiName, version);
  }

  /**
   * Like {@link #delete(String, int)}, on {@code caller}'s behalf.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless the caller may delete definition versions
   *     (MANAGE_DEFINITIONS), before anything else is checked
   */
  public void delete(SecurityContext caller, String apiName, int version) {
    access.requireMayRetire(caller);
    delete(apiName, version);
  }

  public DeployedOrchestration deploy(OrchestrationDefinition definition, boolean activate) {
    OrchestrationValidation validation =
        validate(definition, activate ? Purpose.ACTIVATE : Purpose.DEPLOY);
    String document = FlowService.canonicalJson(mapper, definition);
    String warnings = FlowService.canonicalJson(mapper, validation.warnings());
    StoredDefinition stored =
        database.inTransaction(
            tx -> {
              StoredDefinition deployed =
                  store.deploy(
                      tx, DefinitionKind.ORCHESTRATION, definition.apiName(), document, warnings);
              return activate
                  ? store.activate(
                      tx, DefinitionKind.ORCHESTRATION, definition.apiName(), deployed.version())
                  : deployed;
            });
    return view(stored, validation);
  }

  public DeployedOrchestration activate(String apiName, int version) {
    StoredDefinition stored = find(apiName, version);
    OrchestrationValidation validation = validate(catalog.definition(stored), Purpose.ACTIVATE);
    return view(store.activate(DefinitionKind.ORCHESTRATION, apiName, version), validation);
  }

  /**
   * Leaves the orchestration without an active version: new submissions are refused until one is
   * activated; runs keep the version they started with. A version that is not active is returned
   * unchanged.
   *
   * @throws OrchestrionException NOT_FOUND
   */
  public DeployedOrchestration deactivate(String apiName, int version) {
    find(apiName, version);
    return view(store.deactivate(DefinitionKind.ORCHESTRATION, apiName, version));
  }

  /**
   * Deletes a version that is not active and that no unfinished run (IN_PROGRESS, SUSPENDED or
   * ERROR, which may be retried) uses. Its number is never given out again.
   *
   * @throws OrchestrionException CONFLICT naming what keeps it, NOT_FOUND
   */
  public void delete(String apiName, int version) {
    database.inTransaction(
        tx -> {
          store.delete(
              tx,
              DefinitionKind.ORCHESTRATION,
              apiName,
              version,
              OrchestrationService::unfinishedRun);
          return null;
        });
  }

  private static Optional<String> unfinishedRun(Transaction tx, StoredDefinition orchestration)
      throws SQLException {
    try (PreparedStatement select =
        tx.connection()
            .prepareStatement(
                "SELECT id, status FROM runs WHERE definition_id = ?"
                    + " AND status IN ('IN_PROGRESS', 'SUSPENDED', 'ERROR')"
                    + " ORDER BY id FETCH FIRST 1 ROWS ONLY")) {
      select.setLong(1, orchestration.id());
      try (ResultSet rows = select.executeQuery()) {
        return rows.next()
            ? Optional.of("run " + rows.getString(1) + " (" + rows.getString(2) + ")")
            : Optional.empty();
      }
    }
  }

  /**
   * A page of the deployed orchestrations in api name order, each with its latest and active
   * version.
   *
   * @param cursor the {@code nextCursor} of the previous page
   * @throws OrchestrionException INVALID_REQUEST for a bad cursor or a limit outside 1..500
   */
  public Page<DefinitionHead> list(Optional<String> cursor, int limit) {
    return DefinitionPages.page(store, DefinitionKind.ORCHESTRATION, cursor, limit);
  }

  public List<DeployedOrchestration> versions(String apiName) {
    List<StoredDefinition> versions = store.versions(DefinitionKind.ORCHESTRATION, apiName);
    if (versions.isEmpty()) {
      throw OrchestrionException.notFound("Orchestration '" + apiName + "'");
    }
    return versions.stream().map(this::view).toList();
  }

  public DeployedOrchestration version(String apiName, int version) {
    return view(find(apiName, version));
  }

  private StoredDefinition find(String apiName, int version) {
    return store
        .find(DefinitionKind.ORCHESTRATION, apiName, version)
        .orElseThrow(
            () ->
                OrchestrionException.notFound(
                    "Orchestration '" + apiName + "' version " + version));
  }

  private OrchestrationValidation validate(OrchestrationDefinition definition, Purpose purpose) {
    OrchestrationValidation validation = compiler.validate(definition, 0, 1, purpose);
    List<Problem> problems = OrchestrationDeployChecks.problems(definition, validation);
    if (!problems.isEmpty()) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_DEFINITION,
          "Orchestration '" + definition.apiName() + "' is invalid",
          problems);
    }
    return validation;
  }

  private DeployedOrchestration view(StoredDefinition stored) {
    OrchestrationValidation validation =
        compiler.validate(
            catalog.definition(stored), stored.id(), stored.version(), Purpose.DEPLOY);
    return view(stored, validation);
  }

  private DeployedOrchestration view(StoredDefinition stored, OrchestrationValidation validation) {
    return new DeployedOrchestration(
        stored.apiName(),
        stored.version(),
        stored.status(),
        catalog.definition(stored),
        validation.warnings(),
        stored.createdAt(),
        stored.activatedAt());
  }
}

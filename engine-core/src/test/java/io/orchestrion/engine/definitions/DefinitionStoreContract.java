package io.orchestrion.engine.definitions;

import static io.orchestrion.engine.definitions.DefinitionKind.FLOW;
import static io.orchestrion.engine.definitions.DefinitionKind.ORCHESTRATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.DefinitionStatus;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.engine.testing.TestingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DefinitionStore} on each dialect. */
abstract class DefinitionStoreContract {
  private static final String ANALYSIS = "{\"async\":false}";

  private final TestingClock clock = new TestingClock();
  private TestDatabase testDatabase;
  private DefinitionStore store;

  protected abstract TestDatabaseKind kind();

  @BeforeEach
  void openDatabase() {
    testDatabase = TestDatabases.create(kind());
    store = new DefinitionStore(testDatabase.database(), clock);
  }

  @AfterEach
  void closeDatabase() {
    testDatabase.close();
  }

  @Test
  void deployCreatesNumberedDraftVersions() {
    StoredDefinition first = store.deploy(FLOW, "Score_Risk", document(1), ANALYSIS);
    clock.advance(Duration.ofMinutes(1));
    StoredDefinition second = store.deploy(FLOW, "Score_Risk", document(2), ANALYSIS);

    assertThat(first.version()).isEqualTo(1);
    assertThat(first.status()).isEqualTo(DefinitionStatus.DRAFT);
    assertThat(first.checksum()).isEqualTo(DefinitionStore.sha256(document(1))).hasSize(64);
    assertThat(first.createdAt()).isEqualTo(clock.instant().minus(Duration.ofMinutes(1)));
    assertThat(first.activatedAt()).isEmpty();
    assertThat(second.version()).isEqualTo(2);
    assertThat(store.find(FLOW, "Score_Risk", 1)).contains(first);
    assertThat(store.versions(FLOW, "Score_Risk")).containsExactly(first, second);
    assertThat(store.active(FLOW, "Score_Risk")).isEmpty();
  }

  @Test
  void deployingTheLatestDocumentAgainReturnsTheLatestVersion() {
    StoredDefinition first = store.deploy(FLOW, "Score_Risk", document(1), ANALYSIS);

    assertThat(store.deploy(FLOW, "Score_Risk", document(1), ANALYSIS)).isEqualTo(first);

    store.deploy(FLOW, "Score_Risk", document(2), ANALYSIS);
    // Identical to an older version only: a new version.
    assertThat(store.deploy(FLOW, "Score_Risk", document(1), ANALYSIS).version()).isEqualTo(3);
  }

  @Test
  void activatingAVersionMakesItTheOnlyActiveOne() {
    store.deploy(FLOW, "Score_Risk", document(1), ANALYSIS);
    store.deploy(FLOW, "Score_Risk", document(2), ANALYSIS);

    StoredDefinition firstActive = store.activate(FLOW, "Score_Risk", 1);
    clock.advance(Duration.ofHours(1));
    StoredDefinition secondActive = store.activate(FLOW, "Score_Risk", 2);

    assertThat(firstActive.status()).isEqualTo(DefinitionStatus.ACTIVE);
    assertThat(secondActive.activatedAt()).contains(clock.instant());
    assertThat(store.active(FLOW, "Score_Risk")).contains(secondActive);
    assertThat(store.versions(FLOW, "Score_Risk"))
        .extracting(StoredDefinition::status)
        .containsExactly(DefinitionStatus.INACTIVE, DefinitionStatus.ACTIVE);
    assertThat(store.activate(FLOW, "Score_Risk", 2)).isEqualTo(secondActive);
  }

  @Test
  void deactivatingLeavesNoActiveVersion() {
    store.deploy(FLOW, "Score_Risk", document(1), ANALYSIS);
    store.activate(FLOW, "Score_Risk", 1);

    StoredDefinition deactivated = store.deactivate(FLOW, "Score_Risk", 1);

    assertThat(deactivated.status()).isEqualTo(DefinitionStatus.INACTIVE);
    assertThat(store.active(FLOW, "Score_Risk")).isEmpty();
    assertThat(store.deactivate(FLOW, "Score_Risk", 1)).isEqualTo(deactivated);
  }

  @Test
  void kindsAndNamesAreSeparate() {
    store.deploy(FLOW, "Expense", document(1), ANALYSIS);
    store.deploy(ORCHESTRATION, "Expense", document(2), ANALYSIS);
    store.deploy(FLOW, "Another", document(3), ANALYSIS);
    store.activate(FLOW, "Expense", 1);
    store.activate(ORCHESTRATION, "Expense", 1);

    assertThat(store.apiNames(FLOW)).containsExactly("Another", "Expense");
    assertThat(store.apiNames(ORCHESTRATION)).containsExactly("Expense");
    assertThat(store.active(ORCHESTRATION, "Expense").orElseThrow().document())
        .isEqualTo(document(2));
    assertThat(store.active(FLOW, "Expense").orElseThrow().document()).isEqualTo(document(1));
  }

  @Test
  void unknownVersionsAreNotFound() {
    store.deploy(FLOW, "Score_Risk", document(1), ANALYSIS);

    assertThat(store.find(FLOW, "Score_Risk", 2)).isEmpty();
    assertThatThrownBy(() -> store.activate(FLOW, "Score_Risk", 2))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.NOT_FOUND.toErrorCode());
              assertThat(e.getMessage()).contains("Flow 'Score_Risk' version 2");
            });
    assertThatThrownBy(() -> store.activate(ORCHESTRATION, "Missing", 1))
        .isInstanceOf(OrchestrionException.class);
  }

  @Test
  void keepsAtMostFiftyVersionsAndNeverReusesANumber() {
    for (int i = 1; i <= DefinitionStore.MAX_VERSIONS; i++) {
      store.deploy(FLOW, "Score_Risk", document(i), ANALYSIS);
    }

    assertThatThrownBy(() -> store.deploy(FLOW, "Score_Risk", document(51), ANALYSIS))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode())
                  .isEqualTo(StandardErrorCode.LIMIT_EXCEEDED.toErrorCode());
              assertThat(e.getMessage()).contains("'Score_Risk'", "50 versions", "delete");
            });

    store.delete(FLOW, "Score_Risk", 50);
    StoredDefinition next = store.deploy(FLOW, "Score_Risk", document(51), ANALYSIS);
    assertThat(next.version()).isEqualTo(51);
    assertThat(store.versions(FLOW, "Score_Risk")).hasSize(50);
  }

  @Test
  void deletingRefusesActiveAndUsedVersions() {
    store.deploy(FLOW, "Score_Risk", document(1), ANALYSIS);
    store.deploy(FLOW, "Score_Risk", document(2), ANALYSIS);
    store.activate(FLOW, "Score_Risk", 2);

    assertThatThrownBy(() -> store.delete(FLOW, "Score_Risk", 2))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.CONFLICT.toErrorCode());
              assertThat(e.getMessage()).contains("Flow 'Score_Risk' version 2 is active");
            });
    assertThatThrownBy(
            () ->
                testDatabase
                    .database()
                    .inTransaction(
                        tx -> {
                          store.delete(
                              tx,
                              FLOW,
                              "Score_Risk",
                              1,
                              (usingTx, definition) -> Optional.of("run 42"));
                          return null;
                        }))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getMessage()).contains("version 1 is still used by run 42"));
    assertThat(store.versions(FLOW, "Score_Risk")).hasSize(2);

    store.delete(FLOW, "Score_Risk", 1);

    assertThat(store.versions(FLOW, "Score_Risk"))
        .extracting(StoredDefinition::version)
        .containsExactly(2);
  }

  @Test
  void deployJoinsTheCallersTransaction() {
    assertThatThrownBy(
            () ->
                testDatabase
                    .database()
                    .inTransaction(
                        tx -> {
                          store.deploy(
                              tx, clock.instant(), FLOW, "Score_Risk", document(1), ANALYSIS);
                          throw new IllegalStateException("validation failed afterwards");
                        }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(store.versions(FLOW, "Score_Risk")).isEmpty();
    assertThat(store.deploy(FLOW, "Score_Risk", document(1), ANALYSIS).version()).isEqualTo(1);
  }

  @Test
  void refusesApiNamesThatAreNotIdentifiers() {
    assertThatThrownBy(() -> store.deploy(FLOW, "no spaces", document(1), ANALYSIS))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getErrorCode())
                    .isEqualTo(StandardErrorCode.INVALID_REQUEST.toErrorCode()));
  }

  @Test
  void concurrentDeploysGetDistinctVersions() throws Exception {
    int threads = 4;
    int deploysPerThread = 5;
    List<Future<List<Integer>>> results = new ArrayList<>();
    try (ExecutorService executor = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            executor.submit(
                () -> {
                  List<Integer> versions = new ArrayList<>();
                  for (int i = 0; i < deploysPerThread; i++) {
                    versions.add(
                        store
                            .deploy(FLOW, "Raced", document(thread * 100 + i), ANALYSIS)
                            .version());
                  }
                  return versions;
                }));
      }
      List<Integer> all = new ArrayList<>();
      for (Future<List<Integer>> result : results) {
        all.addAll(result.get());
      }
      assertThat(all)
          .doesNotHaveDuplicates()
          .hasSize(threads * deploysPerThread)
          .allSatisfy(version -> assertThat(version).isBetween(1, threads * deploysPerThread));
    }
  }

  @Test
  void theActiveVersionIsRememberedWhileTheDefinitionsRevisionIsUnchanged() {
    store.deploy(FLOW, "Score_Risk", document(1), ANALYSIS);
    store.deploy(FLOW, "Score_Risk", document(2), ANALYSIS);
    store.activate(FLOW, "Score_Risk", 1);
    assertThat(store.active(FLOW, "Score_Risk").orElseThrow().version()).isEqualTo(1);

    // A change of the table that does not bump the revision (only the store writes it, and it
    // always bumps) is not seen: the lookup is answered from this node's memory, not the table.
    execute(
        "UPDATE definitions SET active_api_name = NULL, status = 'INACTIVE' WHERE version = 1;"
            + " UPDATE definitions SET active_api_name = api_name, status = 'ACTIVE'"
            + " WHERE version = 2");
    assertThat(store.active(FLOW, "Score_Risk").orElseThrow().version()).isEqualTo(1);

    // The next transaction after a bump (by whichever node) reads the table again.
    execute("UPDATE definition_revision SET revision = revision + 1 WHERE id = 1");
    assertThat(store.active(FLOW, "Score_Risk").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void aVersionActivatedOnAnotherNodeIsUsedInTheNextTransaction() {
    DefinitionStore otherNode = new DefinitionStore(testDatabase.database(), clock);
    store.deploy(FLOW, "Score_Risk", document(1), ANALYSIS);
    store.deploy(FLOW, "Score_Risk", document(2), ANALYSIS);
    store.activate(FLOW, "Score_Risk", 1);
    assertThat(store.active(FLOW, "Score_Risk").orElseThrow().version()).isEqualTo(1);
    assertThat(store.active(FLOW, "Unknown")).isEmpty();

    otherNode.activate(FLOW, "Score_Risk", 2);
    otherNode.deploy(FLOW, "Unknown", document(3), ANALYSIS);
    otherNode.activate(FLOW, "Unknown", 1);
    assertThat(store.active(FLOW, "Score_Risk").orElseThrow().version()).isEqualTo(2);
    assertThat(store.active(FLOW, "Unknown").orElseThrow().version()).isEqualTo(1);

    otherNode.deactivate(FLOW, "Score_Risk", 2);
    assertThat(store.active(FLOW, "Score_Risk")).isEmpty();
  }

  @Test
  void aTransactionSeesItsOwnActivationAndNoOneSeesARolledBackOne() {
    store.deploy(FLOW, "Score_Risk", document(1), ANALYSIS);
    store.deploy(FLOW, "Score_Risk", document(2), ANALYSIS);
    store.deploy(FLOW, "Score_Risk", document(3), ANALYSIS);
    store.activate(FLOW, "Score_Risk", 1);

    int seenInside =
        testDatabase
            .database()
            .inTransaction(
                tx -> {
                  assertThat(store.active(tx, FLOW, "Score_Risk").orElseThrow().version())
                      .isEqualTo(1);
                  store.activate(tx, Instant.now(), FLOW, "Score_Risk", 2);
                  return store.active(tx, FLOW, "Score_Risk").orElseThrow().version();
                });
    assertThat(seenInside).isEqualTo(2);
    assertThat(store.active(FLOW, "Score_Risk").orElseThrow().version()).isEqualTo(2);

    assertThatThrownBy(
            () ->
                testDatabase
                    .database()
                    .inTransaction(
                        tx -> {
                          store.activate(tx, Instant.now(), FLOW, "Score_Risk", 3);
                          assertThat(store.active(tx, FLOW, "Score_Risk").orElseThrow().version())
                              .isEqualTo(3);
                          throw new IllegalStateException("rolled back");
                        }))
        .hasMessage("rolled back");
    assertThat(store.active(FLOW, "Score_Risk").orElseThrow().version()).isEqualTo(2);
    // Another node activates after the rollback: the revision it commits is new to every node.
    new DefinitionStore(testDatabase.database(), clock).activate(FLOW, "Score_Risk", 1);
    assertThat(store.active(FLOW, "Score_Risk").orElseThrow().version()).isEqualTo(1);
  }

  private void execute(String statements) {
    testDatabase
        .database()
        .inTransaction(
            tx -> {
              for (String sql : statements.split(";")) {
                try (java.sql.Statement statement = tx.connection().createStatement()) {
                  statement.executeUpdate(sql.strip());
                }
              }
              return null;
            });
  }

  private static String document(int number) {
    return "{\"apiName\":\"x\",\"label\":\"version " + number + "\"}";
  }
}

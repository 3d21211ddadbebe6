package io.orchestrion.engine.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of engine-core (docs/architecture.md, "Packages"), checked over the compiled
 * classes: no package cycle; the entry point ({@code io.orchestrion.engine}) is used by no other
 * engine package; the embedding API ({@code io.orchestrion.engine.api}) uses no other engine
 * package.
 */
class PackageRulesTest {
  static final String ROOT = "io.orchestrion.engine";
  static final String API = "io.orchestrion.engine.api";

  private static JavaClasses engine;

  @BeforeAll
  static void importEngine() {
    engine =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  /** Every package of {@code basePackage} (the base included) is a slice of its own. */
  static ArchRule noPackageCycles(String basePackage) {
    SliceAssignment byPackage =
        new SliceAssignment() {
          @Override
          public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            return name.equals(basePackage) || name.startsWith(basePackage + ".")
                ? SliceIdentifier.of(name)
                : SliceIdentifier.ignore();
          }

          @Override
          public String getDescription() {
            return "the packages of " + basePackage;
          }
        };
    return SlicesRuleDefinition.slices().assignedFrom(byPackage).should().beFreeOfCycles();
  }

  @Test
  void importsTheWholeEngine() {
    assertThat(engine.containPackage(ROOT)).isTrue();
    assertThat(engine.containPackage(API)).isTrue();
    assertThat(engine.containPackage(ROOT + ".run")).isTrue();
    assertThat(engine.stream().filter(c -> c.getPackageName().startsWith(ROOT)).count())
        .isGreaterThan(100);
  }

  @Test
  void engineCoreHasNoPackageCycle() {
    noPackageCycles(ROOT).check(engine);
  }

  @Test
  void noInternalPackageUsesTheEntryPoint() {
    noClasses()
        .that(resideInAPackage(ROOT + ".."))
        .and(not(resideInAPackage(ROOT)))
        .should()
        .dependOnClassesThat(resideInAPackage(ROOT))
        .because("the entry point wires the internals; they depend on the api package instead")
        .check(engine);
  }

  @Test
  void theApiUsesNoOtherEnginePackage() {
    noClasses()
        .that(resideInAPackage(API + ".."))
        .should()
        .dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAnyPackage(API + ".."))))
        .because("embedders see the api package without the internals")
        .check(engine);
  }

  @Test
  void onlyThePersistencePackageRollsBackToASavepointOnTheConnection() {
    noClasses()
        .that(not(resideInAPackage(ROOT + ".persistence")))
        .should()
        .callMethod(java.sql.Connection.class, "rollback", java.sql.Savepoint.class)
        .because(
            "Transaction.rollbackTo also forgets what the transaction remembered after the"
                + " savepoint (records read, cache revisions)")
        .check(engine);
  }

  @Test
  void theCycleRuleFailsOnACycle() {
    String fixture = PackageRulesTest.class.getPackageName() + ".cyclefixture";
    JavaClasses cyclic = new ClassFileImporter().importPackages(fixture);
    assertThat(cyclic.size()).isEqualTo(2);
    assertThatThrownBy(() -> noPackageCycles(fixture).check(cyclic))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining(fixture + ".a")
        .hasMessageContaining(fixture + ".b");
  }
}

package io.orchestrion.server.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The server is an embedder like any other: it uses the engine's entry point ({@code
 * io.orchestrion.engine}) and embedding API ({@code io.orchestrion.engine.api}), never an internal
 * engine package (docs/architecture.md, "Packages").
 */
class EngineImportsTest {
  @Test
  void theServerUsesOnlyThePublicEnginePackages() {
    JavaClasses server =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.orchestrion.server");
    assertThat(server.containPackage("io.orchestrion.server.api")).isTrue();
    assertThat(server.stream().anyMatch(c -> c.getSimpleName().equals("Main"))).isTrue();

    noClasses()
        .that(resideInAPackage("io.orchestrion.server.."))
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.orchestrion.engine..")
                .and(not(resideInAnyPackage("io.orchestrion.engine", "io.orchestrion.engine.api"))))
        .because("the engine's internals may change without notice; embedders see the public API")
        .check(server);
  }
}

package dev.backstream.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DESIGN's module walls and the cli's floors, checked on the compiled classes. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.backstream");
  }

  @Test
  void workerAndCoordinatorMeetOnlyThroughCommon() {
    noClasses().that().resideInAPackage("dev.backstream.worker..")
        .should().dependOnClassesThat().resideInAPackage("dev.backstream.coordinator..")
        .check(classes);
    noClasses().that().resideInAPackage("dev.backstream.coordinator..")
        .should().dependOnClassesThat().resideInAPackage("dev.backstream.worker..")
        .check(classes);
  }

  @Test
  void commonDependsOnNoOtherModule() {
    noClasses().that().resideInAPackage("dev.backstream.common..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.backstream.worker..", "dev.backstream.coordinator..", "dev.backstream.cli..")
        .check(classes);
  }

  @Test
  void cliPackagesHaveNoCycle() {
    slices().matching("dev.backstream.cli.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void commonPackagesHaveNoCycle() {
    slices().matching("dev.backstream.common.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theGroundFloorDependsOnNoFeature() {
    noClasses().that().resideInAnyPackage("dev.backstream.cli.base..", "dev.backstream.cli.options..",
            "dev.backstream.cli.console..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.backstream.cli.train..",
            "dev.backstream.cli.cluster..", "dev.backstream.cli.model..", "dev.backstream.cli.report..",
            "dev.backstream.cli.bench..", "dev.backstream.cli.data..")
        .check(classes);
  }
}

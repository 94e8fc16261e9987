package dev.backstream.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.EvaluationResult;
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

  /** Every violation, named, in the failure message; none when the rule holds. */
  private static void holds(EvaluationResult result) {
    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
  }

  @Test
  void theRulesSeeEveryModulesClasses() {
    // a rule over no classes holds vacuously
    for (String module : new String[] {"common", "worker", "coordinator", "reducer", "cli"}) {
      assertThat(classes.stream().filter(c -> c.getPackageName().startsWith("dev.backstream." + module)))
          .as(module).isNotEmpty();
    }
  }

  @Test
  void workerAndCoordinatorMeetOnlyThroughCommon() {
    holds(noClasses().that().resideInAPackage("dev.backstream.worker..")
        .should().dependOnClassesThat().resideInAPackage("dev.backstream.coordinator..")
        .evaluate(classes));
    holds(noClasses().that().resideInAPackage("dev.backstream.coordinator..")
        .should().dependOnClassesThat().resideInAPackage("dev.backstream.worker..")
        .evaluate(classes));
  }

  @Test
  void theReducerMeetsWorkerAndCoordinatorOnlyThroughCommon() {
    holds(noClasses().that().resideInAPackage("dev.backstream.reducer..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.backstream.worker..", "dev.backstream.coordinator..", "dev.backstream.cli..")
        .evaluate(classes));
    holds(noClasses().that().resideInAnyPackage("dev.backstream.worker..", "dev.backstream.coordinator..")
        .should().dependOnClassesThat().resideInAPackage("dev.backstream.reducer..")
        .evaluate(classes));
  }

  @Test
  void commonDependsOnNoOtherModule() {
    holds(noClasses().that().resideInAPackage("dev.backstream.common..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.backstream.worker..",
            "dev.backstream.coordinator..", "dev.backstream.reducer..", "dev.backstream.cli..")
        .evaluate(classes));
  }

  @Test
  void cliPackagesHaveNoCycle() {
    holds(slices().matching("dev.backstream.cli.(*)..").should().beFreeOfCycles().evaluate(classes));
  }

  @Test
  void commonPackagesHaveNoCycle() {
    holds(slices().matching("dev.backstream.common.(*)..").should().beFreeOfCycles().evaluate(classes));
  }

  @Test
  void theGroundFloorDependsOnNoFeature() {
    holds(noClasses().that().resideInAnyPackage("dev.backstream.cli.base..", "dev.backstream.cli.options..",
            "dev.backstream.cli.console..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.backstream.cli.train..",
            "dev.backstream.cli.cluster..", "dev.backstream.cli.model..", "dev.backstream.cli.report..",
            "dev.backstream.cli.bench..", "dev.backstream.cli.data..")
        .evaluate(classes));
  }
}

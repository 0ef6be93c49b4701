package dev.negbench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

/**
 * The layout as a rule: data flows one way through the folders, io -> data -> model -> mine /
 * generate / train -> eval -> results -> analysis -> experiment -> report -> cli, each folder
 * importing only the ones the table below allows, and no cycles between folders. A change that adds
 * an import against the flow fails here, naming the classes.
 */
class ArchitectureTest {
  private static final String[] FOLDERS = {
    "io",
    "data",
    "model",
    "mine",
    "generate",
    "train",
    "eval",
    "results",
    "analysis",
    "experiment",
    "report",
    "cli"
  };

  /**
   * Which folders each folder may use, under {@code root}. {@code report} renders what {@code
   * results} holds (and tests it with {@code analysis}); nothing uses {@code cli}.
   */
  static Architectures.LayeredArchitecture layers(String root) {
    Architectures.LayeredArchitecture a =
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (String f : FOLDERS) {
      a = a.layer(f).definedBy(root + "." + f + "..");
    }
    return a.whereLayer("io")
        .mayNotAccessAnyLayer()
        .whereLayer("data")
        .mayOnlyAccessLayers("io")
        .whereLayer("model")
        .mayOnlyAccessLayers("io", "data")
        .whereLayer("mine")
        .mayOnlyAccessLayers("io", "data", "model")
        .whereLayer("generate")
        .mayOnlyAccessLayers("io", "data", "model")
        .whereLayer("train")
        .mayOnlyAccessLayers("io", "data", "model")
        .whereLayer("eval")
        .mayOnlyAccessLayers("io", "data")
        .whereLayer("results")
        .mayOnlyAccessLayers("io", "data", "eval")
        .whereLayer("analysis")
        .mayOnlyAccessLayers("io", "data", "model", "mine", "eval", "results")
        .whereLayer("experiment")
        .mayOnlyAccessLayers(
            "io", "data", "model", "mine", "generate", "train", "eval", "results", "analysis")
        .whereLayer("report")
        .mayOnlyAccessLayers("io", "eval", "results", "analysis")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer();
  }

  private static JavaClasses main() {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.negbench");
  }

  @Test
  void foldersImportOnlyTheFoldersBeforeThem() {
    JavaClasses classes = main();
    assertTrue(classes.size() > 100, "the main classes were found: " + classes.size());
    layers("dev.negbench").check(classes);
  }

  @Test
  void noCyclesBetweenFolders() {
    slices().matching("dev.negbench.(*)..").should().beFreeOfCycles().check(main());
  }

  @Test
  void benchmarksDoNotUseTheCommandLine() {
    JavaClasses bench = new ClassFileImporter().importPackages("dev.negbench.bench");
    assertTrue(bench.size() > 5, "the JMH kernels were found: " + bench.size());
    noClasses().should().dependOnClassesThat().resideInAPackage("dev.negbench.cli..").check(bench);
  }

  /**
   * The rule is not vacuous: a report class that imports a miner (a fixture under test sources)
   * breaks it.
   */
  @Test
  void anImportAgainstTheFlowFails() {
    JavaClasses fixture = new ClassFileImporter().importPackages("dev.negbench.archfixture");
    AssertionError e =
        assertThrows(AssertionError.class, () -> layers("dev.negbench.archfixture").check(fixture));
    assertTrue(
        e.getMessage().contains("archfixture.report.Renderer")
            && e.getMessage().contains("archfixture.mine.Miner"),
        e.getMessage());
  }
}

package dev.negbench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
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
   * No package is split between src/main/java and src/jmh/java: a benchmark reaches main code
   * through its public classes, never by sitting in the same package (DenseSearchBenchmark's GEMM
   * reference, {@code mine.TileGemm}, once did).
   */
  @Test
  void benchmarkAndMainPackagesAreDisjoint() throws IOException {
    Set<String> main = packages(Path.of("src/main/java"));
    Set<String> jmh = packages(Path.of("src/jmh/java"));
    assertTrue(main.contains("dev.negbench.mine"), "main packages found: " + main);
    assertTrue(jmh.contains("dev.negbench.bench"), "benchmark packages found: " + jmh);
    jmh.retainAll(main);
    assertEquals(Set.of(), jmh, "packages in both src/main/java and src/jmh/java");
  }

  /** The packages under a source root: the folders that hold a .java file, dotted. */
  static Set<String> packages(Path root) throws IOException {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(f -> f.toString().endsWith(".java"))
          .forEach(f -> out.add(root.relativize(f.getParent()).toString().replace('/', '.')));
    }
    return out;
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

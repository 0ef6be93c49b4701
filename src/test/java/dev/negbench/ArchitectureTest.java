package dev.negbench;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The layout as a rule: data flows one way through the folders, io -> data -> download -> model ->
 * mine / generate / train -> eval -> results -> analysis -> experiment -> report -> cli, each
 * folder importing only the ones the table below allows, and no cycles between folders. The JMH
 * kernels ({@code bench}, in src/jmh/java) are a layer of their own on top, beside {@code cli}:
 * they may use every main folder but {@code cli}, and nothing in main uses them. A change that adds
 * an import against the flow fails here, naming the classes.
 */
class ArchitectureTest {
  private static final String[] FOLDERS = {
    "io",
    "data",
    "download",
    "model",
    "mine",
    "generate",
    "train",
    "eval",
    "results",
    "analysis",
    "experiment",
    "report",
    "cli",
    "bench"
  };

  /**
   * Which folders each folder may use, under {@code root}. {@code report} renders what {@code
   * results} holds (and tests it with {@code analysis}); nothing uses {@code cli} or {@code bench};
   * {@code bench} calls the same public classes as the command line, but not the command line.
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
        .whereLayer("download")
        .mayOnlyAccessLayers("io", "data")
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
            "io",
            "data",
            "download",
            "model",
            "mine",
            "generate",
            "train",
            "eval",
            "results",
            "analysis")
        .whereLayer("report")
        .mayOnlyAccessLayers("io", "eval", "results", "analysis")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("bench")
        .mayOnlyAccessLayers(
            "io",
            "data",
            "download",
            "model",
            "mine",
            "generate",
            "train",
            "eval",
            "results",
            "analysis",
            "experiment",
            "report")
        .whereLayer("bench")
        .mayNotBeAccessedByAnyLayer();
  }

  /**
   * The main classes and the JMH kernels (compiled with the tests, so taken from the test classes
   * by their package folder; the rest of the tests may reach into any folder and are left out).
   */
  private static JavaClasses mainAndBenchmarks() {
    ImportOption mainOrBench =
        location ->
            ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
                || location.contains("/dev/negbench/bench/");
    return new ClassFileImporter().withImportOption(mainOrBench).importPackages("dev.negbench");
  }

  @Test
  void foldersImportOnlyTheFoldersBeforeThem() {
    JavaClasses classes = mainAndBenchmarks();
    assertTrue(classes.size() > 100, "the main classes were found: " + classes.size());
    long bench =
        classes.stream().filter(c -> c.getPackageName().startsWith("dev.negbench.bench")).count();
    assertTrue(bench > 5, "the JMH kernels were found: " + bench);
    assertFalse(
        classes.stream().anyMatch(c -> c.getPackageName().startsWith("dev.negbench.archfixture")),
        "the planted fixtures stay out of the real check");
    layers("dev.negbench").check(classes);
  }

  @Test
  void noCyclesBetweenFolders() {
    slices().matching("dev.negbench.(*)..").should().beFreeOfCycles().check(mainAndBenchmarks());
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

  /**
   * The benchmark layer is checked too: a kernel that imports the command line (a fixture under
   * test sources) breaks the rule, while its neighbour that imports a miner does not.
   */
  @Test
  void aBenchmarkThatUsesTheCommandLineFails() {
    JavaClasses fixture =
        new ClassFileImporter()
            .importPackages(
                "dev.negbench.archfixture.bench",
                "dev.negbench.archfixture.cli",
                "dev.negbench.archfixture.mine");
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> layers("dev.negbench.archfixture").withOptionalLayers(true).check(fixture));
    String message = e.getMessage();
    assertTrue(
        message.contains("archfixture.bench.CommandLineKernel")
            && message.contains("archfixture.cli.Command"),
        message);
    assertFalse(message.contains("archfixture.bench.MiningKernel"), message);
  }
}

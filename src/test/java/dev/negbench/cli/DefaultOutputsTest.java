package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Defaults never write into a committed folder: {@code report} reads the committed results/ but
 * writes under the work folder, {@code reproduce} writes its results there; results/ and report/
 * are written only when named.
 */
class DefaultOutputsTest {
  private static final Path WORK = CommonOptions.defaultWorkDir();

  @Test
  void theWorkFolderIsIgnoredByGit() throws IOException {
    if (System.getenv("NEGBENCH_WORK") == null) {
      assertEquals(Path.of("work"), WORK);
      assertTrue(Files.readAllLines(Path.of(".gitignore")).contains("work/"), ".gitignore");
    }
  }

  @Test
  void reportReadsTheCommittedResultsAndWritesUnderWork() {
    ReportCommand report = new ReportCommand();
    new CommandLine(report).parseArgs();
    assertEquals(Path.of("results"), report.results);
    assertEquals(WORK.resolve("report"), report.out);
    String help = CliTest.run("report", "--help").out().replaceAll("\\s+", " ");
    assertTrue(help.contains("(default " + WORK.resolve("report") + ":"), help);
    assertTrue(help.contains("(default results:"), help);
  }

  @Test
  void reproduceWritesItsResultsUnderWork() {
    ReproduceCommand reproduce = new ReproduceCommand();
    new CommandLine(reproduce).parseArgs("--config", "configs/demo.yaml");
    assertEquals(WORK.resolve("results"), reproduce.results);
    assertEquals(WORK, reproduce.common.workDir);
    assertEquals(null, reproduce.work, "the stage cache follows --work-dir");
    String help = CliTest.run("reproduce", "--help").out().replaceAll("\\s+", " ");
    assertTrue(help.contains("(default " + WORK.resolve("results") + ":"), help);
  }

  /** The committed folders are still written when named. */
  @Test
  void theCommittedFoldersAreWrittenWhenNamed() {
    ReportCommand report = new ReportCommand();
    new CommandLine(report).parseArgs("--results", "results", "--out", "report");
    assertEquals(Path.of("report"), report.out);
    ReproduceCommand reproduce = new ReproduceCommand();
    new CommandLine(reproduce).parseArgs("--config", "configs/demo.yaml", "--results", "results");
    assertEquals(Path.of("results"), reproduce.results);
  }
}

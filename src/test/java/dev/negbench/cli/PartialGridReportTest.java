package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} on a grid that workers have not finished: it renders and names the gaps. */
class PartialGridReportTest {
  @TempDir Path tmp;

  private Path demoCopy() throws IOException {
    Path from = Path.of("results/demo");
    Path to = tmp.resolve("results/demo");
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return tmp.resolve("results");
  }

  @Test
  void aPartialGridIsReportedWithItsMissingCellsListed() throws IOException {
    Path results = demoCopy();
    CliTest.Outcome whole =
        CliTest.run("report", "--results=" + results, "--out=" + tmp.resolve("whole"));
    assertEquals(0, whole.code(), whole.err());
    assertFalse(whole.err().contains("partial grid"), whole.err());

    AtomicFiles.deleteTree(results.resolve("demo/synthetic-1000/bm25/seed-2"));
    AtomicFiles.deleteTree(results.resolve("demo/synthetic-1000/dense"));
    CliTest.Outcome partial =
        CliTest.run("report", "--results=" + results, "--out=" + tmp.resolve("partial"));
    assertEquals(0, partial.code(), partial.err());
    assertTrue(
        partial.err().contains("report: 1 cells of the grid have no results yet (partial grid): ")
            && partial.err().contains("demo/synthetic-1000/bm25/seed-2"),
        partial.err());
    assertTrue(Files.isRegularFile(tmp.resolve("partial/index.html")));
  }
}

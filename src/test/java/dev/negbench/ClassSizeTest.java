package dev.negbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main class file is over 400 lines, as google-java-format lays it out: past that a class
 * usually holds two concerns (STYLE.md). Split it, naming each piece for what it is.
 */
class ClassSizeTest {
  static final int MAX_LINES = 400;

  /** Each file under {@code dir} longer than {@code max} lines, as {@code path: N lines}. */
  static List<String> oversized(Path dir, int max) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        int lines = Files.readAllLines(f).size();
        if (lines > max) {
          out.add(f + ": " + lines + " lines");
        }
      }
    }
    return out;
  }

  @Test
  void noMainClassIsOver400Lines() throws IOException {
    Path main = Path.of("src/main/java");
    assertTrue(Files.isDirectory(main), "run from the project root");
    assertEquals(
        List.of(), oversized(main, MAX_LINES), "main classes over " + MAX_LINES + " lines");
  }

  @Test
  void anOversizedFileIsNamed() throws IOException {
    // The rule is not vacuous: at a limit of 100 lines the largest main classes are reported.
    assertTrue(!oversized(Path.of("src/main/java"), 100).isEmpty());
  }
}

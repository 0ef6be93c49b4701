package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.report.Report;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoHeadlineTest {
  @Test
  void theHeadlineMarksWhatATestFixtureMade() {
    // The committed demo results: its ce source mines with the tiny random-weight cross-encoder.
    Path results = Path.of("results");
    String headline = DemoCommand.headline(Report.build(results), results, Path.of("report"));
    assertTrue(headline.contains("\n  ce [fixture] "), headline);
    assertTrue(
        headline.contains("[fixture]: made with a TEST FIXTURE")
            && headline.contains("demo / synthetic-1000 / ce: source ce: "),
        headline);
    assertFalse(headline.contains("bm25 [fixture]"), headline);
    assertTrue(headline.chars().allMatch(c -> c < 128), "plain ASCII for any terminal");
  }
}

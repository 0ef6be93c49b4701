package dev.negbench.report;

import static dev.negbench.results.JmhKernels.crossEncoder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.results.JmhResults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelComparisonsTest {
  private static JmhResults read(String file) {
    return JmhResults.read(Path.of("results/jmh", file));
  }

  @Test
  void ratiosAndSharesOfTheGemmPeak() {
    StringBuilder b = new StringBuilder();
    assertTrue(KernelComparisons.append(b, read("cross-encoder.json"), "CrossEncoderBenchmark"));
    String html = b.toString();
    assertTrue(
        html.startsWith(
            "<p class=\"note\"><code>cross-encoder.json</code>: bucketed / naivePadding, target ≥"
                + " 1.50: "),
        html);
    assertTrue(html.contains("<th>ratio</th><th>target</th><th class=\"l\">verdict</th>"), html);
    assertTrue(html.contains("achieved GFLOP/s against the GEMM peak (gemmPeak)"), html);
  }

  @Test
  void secondsPairedWithinForks() {
    StringBuilder b = new StringBuilder();
    assertTrue(
        KernelComparisons.append(b, read("bm25-mining-paired-1m.json"), "Bm25MiningBenchmark"));
    assertTrue(b.toString().contains("paired, plainSeconds / mineSeconds"), b.toString());
    assertTrue(b.toString().contains("<th>ratio</th><th>per fork</th>"), b.toString());
  }

  @Test
  void nothingToCompareWritesNothing() {
    StringBuilder b = new StringBuilder();
    assertFalse(KernelComparisons.append(b, read("encode-export.json"), "EncodeBenchmark"));
    assertEquals("", b.toString());
  }

  /** A kernel at 120% of its GEMM peak is flagged in red as an invalid measurement, not met. */
  @Test
  void aShareOverThePeakIsFlaggedInvalidInRed() {
    JmhResults f =
        new JmhResults(
            "over.json", List.of(crossEncoder("bucketed", 120e9), crossEncoder("gemmPeak", 100e9)));
    StringBuilder b = new StringBuilder();
    assertTrue(KernelComparisons.append(b, f, "CrossEncoderBenchmark"));
    String html = b.toString();
    assertTrue(
        html.contains(
            "<td>120.0</td><td>100.0</td><td class=\"neg\">120%</td><td>≥ 50%</td>"
                + KernelComparisons.INVALID_SHARE),
        html);
    assertFalse(html.contains(">met<"), html);
  }
}

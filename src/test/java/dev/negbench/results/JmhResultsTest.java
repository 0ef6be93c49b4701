package dev.negbench.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhResultsTest {
  @TempDir Path tmp;

  /**
   * JMH's score of an EVENTS counter is its sum over the iterations (recall 4.5 over 5 iterations):
   * the reader takes the per-iteration mean, for recall and for every per-fork value.
   */
  @Test
  void eventsCountersAreReadAsPerIterationMeans() throws IOException {
    Path file = tmp.resolve("search.json");
    Files.writeString(
        file,
        """
        [{"benchmark": "dev.negbench.bench.DenseSearchBenchmark.search", "mode": "thrpt",
          "threads": 2, "forks": 2, "params": {"index": "hnsw"},
          "primaryMetric": {"score": 100.0, "scoreError": 1.0, "scoreUnit": "ops/s"},
          "secondaryMetrics": {
            "recall": {"score": 4.5, "scoreUnit": "#",
                       "rawData": [[0.9, 0.9, 0.9], [0.9, 0.9]]},
            "mineSeconds": {"score": 9.0, "scoreUnit": "#",
                            "rawData": [[1.0, 2.0, 3.0], [2.0, 1.0]]}}}]
        """);
    JmhResults.Kernel k = JmhResults.read(file).kernels().get(0);
    assertEquals(0.9, k.recall(), 1e-12);
    assertArrayEquals(new double[] {2.0, 1.5}, k.secondaryByFork().get("mineSeconds"), 1e-12);
    assertArrayEquals(new double[] {0.9, 0.9}, k.secondaryByFork().get("recall"), 1e-12);
  }
}

package dev.negbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhRatiosTest {
  private static JmhResults.Run search(String index, double queriesPerSecond, double recall) {
    return new JmhResults.Run(
        "dev.negbench.bench.DenseSearchBenchmark.search", "thrpt", Map.of("docs", "1000000", "index", index, "oversample", "2"),
        queriesPerSecond, 0, "ops/s", 1, 1, "", List.of(), "", "", Double.NaN, recall);
  }

  private static JmhRatios.Ratio hnswAgainstExact(double hnswSpeed, double recall) {
    List<JmhRatios.Ratio> ratios = JmhRatios.ratios(List.of(search("exact", 100, 1), search("hnsw", hnswSpeed, recall)));
    assertEquals(1, ratios.size());
    assertTrue(ratios.get(0).targetApplies());
    return ratios.get(0);
  }

  /** HNSW's 20x counts only at recall 0.95: a fast graph that finds too little misses the target. */
  @Test
  void hnswMeetsItsTargetOnlyAtTheRecallItIsSetAt() {
    assertTrue(hnswAgainstExact(2500, 0.96).met());
    assertFalse(hnswAgainstExact(2500, 0.94).met(), "20x faster at recall 0.94");
    assertFalse(hnswAgainstExact(1900, 0.99).met(), "19x at recall 0.99");
    assertFalse(hnswAgainstExact(2500, Double.NaN).met(), "no recall measured");
    assertEquals(25.0, hnswAgainstExact(2500, 0.96).ratio(), 1e-9);
  }
}

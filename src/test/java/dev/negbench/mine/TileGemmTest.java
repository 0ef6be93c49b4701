package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The GEMM reference that {@code bench.DenseSearchBenchmark#gemmVectorApi} runs: it builds (its
 * constructor checks an element of the product against a double-precision dot product and throws on
 * a wrong one), counts its work and gives the same answer on every run.
 */
class TileGemmTest {
  @Test
  void checksItsAnswerCountsItsWorkAndRepeats() {
    // n = 600 leaves a last tile shorter than TILE; 3 threads give each a range of its own.
    for (int threads : new int[] {1, 3}) {
      try (TileGemm gemm = new TileGemm(5, 24, 600, threads)) {
        assertEquals(2L * 5 * 24 * 600, gemm.flop());
        float first = gemm.run();
        assertEquals(first, gemm.run(), 0, "threads " + threads);
      }
    }
  }

  @Test
  void aProductSmallerThanOneTile() {
    try (TileGemm gemm = new TileGemm(1, 3, TileGemm.TILE - 1, 1)) {
      assertEquals(2L * 3 * (TileGemm.TILE - 1), gemm.flop());
      gemm.run();
    }
  }
}

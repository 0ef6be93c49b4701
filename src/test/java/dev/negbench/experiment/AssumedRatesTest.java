package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rates assumed where nothing was measured: each says so, and a GPU is 50 times 2 cores. */
class AssumedRatesTest {
  @Test
  void everyAssumptionIsMarkedAndStatesItsRate() {
    assertEquals(
        new Throughput(10_000, false, "Lucene indexing, 5000 documents/s a thread"),
        AssumedRates.index(2));
    assertEquals(
        new Throughput(15, false, "15 texts/s on 2 cores"), AssumedRates.encode(false, "cpu"));
    assertEquals(
        new Throughput(9, false, "9 texts/s on 2 cores"), AssumedRates.encode(true, "cpu"));
    assertEquals(
        new Throughput(750, false, "750 texts/s on a GPU (50x 2 cores)"),
        AssumedRates.encode(false, "cuda"));
    assertEquals(new Throughput(100, false, "100 pairs/s"), AssumedRates.pairs("cpu"));
    assertEquals(new Throughput(5_000, false, "5000 pairs/s"), AssumedRates.pairs("cuda"));
    assertEquals(
        new Throughput(2, false, "2.0 triples/s on 2 cores"), AssumedRates.training("cpu"));
    assertEquals(
        new Throughput(100, false, "100.0 triples/s on a GPU"), AssumedRates.training("cuda:0"));
    assertEquals(new Throughput(1_000, false, "1,000 queries/s"), AssumedRates.bm25());
    for (Throughput t :
        List.of(
            AssumedRates.ceTraining("cpu"),
            AssumedRates.ceTraining("cuda"),
            AssumedRates.generation())) {
      assertFalse(t.measured(), t.toString());
    }
    assertEquals(7.6 * 50, AssumedRates.ceTraining("cuda").perSecond(), 1e-9);
    assertEquals("2500 completion tokens/s a GPU (vLLM)", AssumedRates.generation().basis());
  }
}

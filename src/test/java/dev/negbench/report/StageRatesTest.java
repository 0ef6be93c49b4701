package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.negbench.results.CellResult;
import dev.negbench.results.NegativesCost;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageRatesTest {
  @Test
  void eachSourcesOwnPartEachEncodingOnceAndEveryTrainingRun() {
    NegativesCost.Part encode =
        new NegativesCost.Part(
            "encode corpus", 20, "cpu", 0.1, 1, Map.of(NegativesCost.DOCUMENTS_ENCODED, 1000L));
    NegativesCost.Part mine =
        new NegativesCost.Part(
            "mine (bm25)", 4, "cpu", 0.1, 1, Map.of(NegativesCost.QUERIES_SEARCHED, 100L));
    NegativesCost.Part search =
        new NegativesCost.Part(
            "mine (dense)", 5, "cpu", 0.1, 1, Map.of(NegativesCost.QUERIES_SEARCHED, 50L));
    List<Report.CostRow> costs =
        List.of(
            new Report.CostRow(
                "exp",
                "d",
                "bm25",
                "bm25",
                new NegativesCost("bm25", "bm25", 10, List.of(mine), "t"),
                0.4,
                0),
            new Report.CostRow(
                "exp",
                "d",
                "dense",
                "dense",
                new NegativesCost("dense", "dense", 10, List.of(search, encode), "t"),
                0.5,
                0.1),
            new Report.CostRow(
                "exp",
                "d",
                "mix",
                "mix",
                new NegativesCost("mix", "mix", 10, List.of(encode), "t"),
                0.5,
                0.1),
            new Report.CostRow("exp", "d", "file", "file", null, 0.3, -0.1));
    CellResult trained =
        new CellResult(
            "exp",
            "d",
            "bm25",
            "bm25",
            3,
            "test",
            false,
            Map.of(),
            List.of(),
            Map.of(),
            Map.of("steps", 200, "seconds", 40.0, "device", "cpu"));
    List<Report.StageRate> rates = StageRates.of(List.of(trained), costs);
    assertEquals(
        List.of(
            "Bm25MiningBenchmark bm25: mine (bm25) on cpu 25.00 queries/s",
            "DenseSearchBenchmark dense: mine (dense) on cpu 10.00 queries/s (encoded and searched)",
            "EncodeBenchmark encode corpus on cpu 50.00 documents/s",
            "TrainingStepBenchmark bm25 seed 3 on cpu 5.00 steps/s"),
        rates.stream()
            .map(
                r ->
                    String.format(
                        Locale.ROOT,
                        "%s %s %.2f %s",
                        r.benchmarkClass(),
                        r.what(),
                        r.rate(),
                        r.unit()))
            .toList());
  }
}

package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.NegativesCost;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceCostsTest {
  private static final NegativesCost.Part INDEX =
      new NegativesCost.Part(
          "BM25 index", 30, "cpu", 0.1, 1, Map.of(NegativesCost.DOCUMENTS_INDEXED, 1000L));

  private static NegativesCost mix(double seconds) {
    return new NegativesCost(
        "mix",
        "mix",
        100,
        List.of(new NegativesCost.Part("mix", seconds, "cpu", 0.1, 1, Map.of()), INDEX),
        "test");
  }

  private static final GenerationSummary GENERATION =
      new GenerationSummary(
          "vllm",
          "qwen",
          4.0,
          "simulator",
          "H100",
          3.0,
          true,
          10,
          100,
          20,
          500,
          5000,
          36.0,
          1,
          2,
          3,
          2);

  private static SourceFolder folder(String source, SourceFolder.Seed... seeds) {
    return new SourceFolder("exp", "d", source, List.of(seeds));
  }

  private static Report.Score score(String source, String type, double mean) {
    return new Report.Score(source, type, mean, 0, 1, mean, mean, null, null, 0, false);
  }

  @Test
  void everySourceButZeroShotInReportOrderWithItsGainOverTheBaseline() {
    NegativesCost bm25 = new NegativesCost("bm25", "bm25", 200, List.of(INDEX), "test");
    List<Report.CostRow> rows =
        SourceCosts.of(
            List.of(
                folder(
                    "mix",
                    new SourceFolder.Seed(null, mix(3), null),
                    new SourceFolder.Seed(null, mix(6), null)),
                folder("gen", new SourceFolder.Seed(GENERATION, null, null)),
                folder("dense", new SourceFolder.Seed(null, null, null)),
                folder(CellResult.ZERO_SHOT, new SourceFolder.Seed(null, null, null)),
                // Two seeds sharing one seed-independent negatives stage: one record, counted once.
                folder(
                    "bm25",
                    new SourceFolder.Seed(null, bm25, null),
                    new SourceFolder.Seed(null, bm25, null))),
            SourceScores.of(
                List.of(
                    new Report.DatasetRow(
                        "exp",
                        "d",
                        false,
                        10,
                        List.of(
                            score("bm25", "bm25", 0.4),
                            score("dense", "dense", 0.5),
                            score("gen", "llm", 0.3),
                            score("mix", "mix", 0.45)),
                        List.of()))));
    assertEquals(
        List.of("bm25", "dense", "gen", "mix"), rows.stream().map(Report.CostRow::source).toList());
    assertSame(bm25, rows.get(0).cost());
    assertEquals(0.0, rows.get(0).deltaVsBaseline());
    assertNull(rows.get(1).cost(), "dense recorded no cost");
    assertEquals(0.1, rows.get(1).deltaVsBaseline(), 1e-12);
    assertEquals("llm", rows.get(2).type());
    assertEquals(100, rows.get(2).cost().negatives());
    // 3 s + 6 s of mixing and the index's 30 s once, 200 negatives.
    NegativesCost mixed = rows.get(3).cost();
    assertEquals(39.0, mixed.seconds(), 1e-12);
    assertEquals(200, mixed.negatives());
    assertEquals("test (2 negatives stages: one per seed)", mixed.basis());
  }

  @Test
  void aResultFromBeforeCostJsonIsPricedFromItsGeneration() {
    NegativesCost c = SourceCosts.fromGeneration("gen", GENERATION);
    assertEquals("llm", c.sourceType());
    assertEquals(100, c.negatives());
    NegativesCost.Part p = c.parts().get(0);
    assertEquals("generate (vllm)", p.what());
    assertEquals("2x H100 (simulated)", p.device());
    // 36 s on 2 GPUs at US$ 3 an hour.
    assertEquals(0.06, p.usd(), 1e-12);
    assertEquals(
        Map.of(NegativesCost.TOKENS_GENERATED, 5000L, NegativesCost.REQUESTS, 20L), p.work());
    assertTrue(c.basis().contains("predates cost.json"));
  }

  @Test
  void oneCostIsItself() {
    NegativesCost one = mix(3);
    assertSame(one, SourceCosts.combine(List.of(one)));
  }
}

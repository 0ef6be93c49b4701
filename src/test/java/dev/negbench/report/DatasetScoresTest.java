package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetScoresTest {
  /** bm25 0.3 and 0.5 on its two seeds, dense 0.5 and 0.6, ce 0.9 on one seed; two queries. */
  private static DatasetResults scifact() {
    return DatasetResults.group(
            List.of(
                ReportTest.cell("scifact", "bm25", "bm25", 1, 0.2, 0.4),
                ReportTest.cell("scifact", "bm25", "bm25", 2, 0.4, 0.6),
                ReportTest.cell("scifact", "dense", "dense", 1, 0.5, 0.5),
                ReportTest.cell("scifact", "dense", "dense", 2, 0.5, 0.7),
                ReportTest.cell("scifact", "ce", "ce", 1, 0.9, 0.9)))
        .get(0);
  }

  private static final FixtureModels CE_FIXTURE =
      new FixtureModels(Map.of("exp/scifact/ce", List.of("tiny-ce")));

  @Test
  void meanSdAndTheTestAgainstTheBaseline() {
    Report.DatasetRow row = DatasetScores.of(scifact(), CE_FIXTURE);
    assertEquals(2, row.queries());
    assertFalse(row.synthetic());
    assertEquals(
        List.of("bm25", "ce", "dense"), row.scores().stream().map(Report.Score::source).toList());
    Report.Score bm25 = row.score("bm25");
    assertEquals(0.4, bm25.mean(), 1e-12);
    assertEquals(Math.sqrt(0.02), bm25.sd(), 1e-12, "sample sd of 0.3 and 0.5");
    assertEquals(2, bm25.seeds());
    assertNull(bm25.p(), "the baseline is not tested against itself");
    assertEquals(0, bm25.direction());
    Report.Score dense = row.score("dense");
    assertEquals(0.55, dense.mean(), 1e-12);
    assertEquals(1, dense.direction());
    assertNotNull(dense.p());
    assertEquals(
        SignificanceTests.pair(row.comparisons(), "dense", "bm25").pHolm(), dense.pHolm(), 0.0);
    assertTrue(dense.ciLow() <= dense.mean() && dense.mean() <= dense.ciHigh(), dense.toString());
    assertEquals(3, row.comparisons().size(), "every pair of the three sources");
  }

  @Test
  void theBestIsTheBestRealSourceUnlessEveryOneIsAFixture() {
    Report.DatasetRow row = DatasetScores.of(scifact(), CE_FIXTURE);
    assertFalse(row.score("ce").best(), "0.9, but a test fixture made it");
    assertTrue(row.score("dense").best());
    Report.DatasetRow real = DatasetScores.of(scifact(), new FixtureModels(Map.of()));
    assertTrue(real.score("ce").best());
    assertFalse(real.score("dense").best());
  }

  @Test
  void everyMetricsMeanPerSourceInReportOrder() {
    List<Report.MetricRow> rows = DatasetScores.metricMeans(scifact());
    assertEquals(
        List.of("bm25 0.4000 2", "ce 0.9000 1", "dense 0.5500 2"),
        rows.stream()
            .map(m -> String.format(Locale.ROOT, "%s %.4f %d", m.source(), m.mean(), m.seeds()))
            .toList());
    assertEquals("ndcg@10", rows.get(0).metric());
  }
}

package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.results.CellResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignificanceTestsTest {
  /** A result on queries {@code ids} with per-query nDCG@10 {@code values}. */
  private static CellResult on(String source, List<String> ids, double... values) {
    CellResult c = ReportTest.cell("d", source, source, 1, values);
    return new CellResult(
        c.experiment(),
        c.dataset(),
        c.source(),
        c.sourceType(),
        c.seed(),
        c.split(),
        c.synthetic(),
        c.metrics(),
        ids,
        c.perQuery(),
        c.training());
  }

  @Test
  void perQueryScoresAreAlignedToTheFirstSourcesQueriesOrLeftOut() {
    List<String> abc = List.of("a", "b", "c");
    DatasetResults d =
        DatasetResults.group(
                List.of(
                    on("bm25", abc, 0.1, 0.2, 0.3),
                    on("dense", List.of("c", "a", "b"), 0.6, 0.4, 0.5),
                    on("llm", List.of("a", "b", "x"), 0.1, 0.1, 0.1),
                    on("mix", List.of("a", "b"), 0.1, 0.1)))
            .get(0);
    Map<String, double[][]> t = SignificanceTests.perQuery(d.sources());
    assertEquals(List.of("bm25", "dense"), List.copyOf(t.keySet()), "llm, mix: other queries");
    assertArrayEquals(new double[] {0.4, 0.5, 0.6}, t.get("dense")[0]);
    assertEquals(1, SignificanceTests.withinDataset(t).size());
    assertTrue(Double.isNaN(SignificanceTests.meanInterval(null).low()));
    // Three queries, one seed: the bootstrap resamples three values, so its interval stays within.
    var ci = SignificanceTests.meanInterval(t.get("dense"));
    assertTrue(ci.low() >= 0.4 && ci.high() <= 0.6, ci.toString());
  }

  @Test
  void aPairIsFoundInEitherOrder() {
    var c =
        SignificanceTests.withinDataset(
            Map.of("x", new double[][] {{0.1, 0.2}}, "y", new double[][] {{0.3, 0.4}}));
    assertSame(c.get(0), SignificanceTests.pair(c, "x", "y"));
    assertSame(c.get(0), SignificanceTests.pair(c, "y", "x"));
    assertNull(SignificanceTests.pair(c, "x", "z"));
  }

  @Test
  void acrossDatasetsOnlyForExperimentsWithSeveral() {
    Report.DatasetRow one = row("e1", "d1");
    List<Report.AcrossDatasets> across =
        SignificanceTests.across(List.of(one, row("e2", "d1"), row("e2", "d2")));
    assertEquals(1, across.size());
    assertEquals("e2", across.get(0).experiment());
    var c = across.get(0).comparisons().get(0);
    assertEquals(2, c.units(), "two datasets");
    assertEquals(0.1, c.delta() * (c.sourceA().equals("dense") ? 1 : -1), 1e-12);
  }

  private static Report.DatasetRow row(String experiment, String dataset) {
    return new Report.DatasetRow(
        experiment,
        dataset,
        false,
        10,
        List.of(score("bm25", "bm25", 0.3), score("dense", "dense", 0.4)),
        List.of());
  }

  private static Report.Score score(String source, String type, double mean) {
    return new Report.Score(source, type, mean, 0, 1, mean, mean, null, null, 0, false);
  }
}

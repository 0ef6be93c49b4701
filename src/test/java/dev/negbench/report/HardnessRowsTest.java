package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.negbench.results.HardnessSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardnessRowsTest {
  private static HardnessSummary hardness(int queries, long negatives, double cos, Double ce) {
    return new HardnessSummary(
        "s", queries, negatives, cos, 0.6, 0.7, 0.1, 0.8, 0.2, ce, ce, 0.3, 100, 120);
  }

  @Test
  void meansAveragedAndRoundedCrossEncoderOnlyWhenEverySeedHasIt() {
    HardnessSummary h =
        HardnessRows.average(
            "bm25", List.of(hardness(10, 50, 0.5, 0.9), hardness(12, 61, 0.6, 0.7)));
    assertEquals("bm25", h.source());
    assertEquals(12, h.queries(), "the most any seed had");
    assertEquals(55, h.negatives(), "(50 + 61) / 2, whole negatives");
    assertEquals(0.55, h.cosineToQuery());
    assertEquals(0.8, h.crossEncoderScore());
    assertEquals(100.0, h.negativeTokens());
    HardnessSummary partial =
        HardnessRows.average(
            "ce", List.of(hardness(10, 50, 0.12344, 0.9), hardness(10, 50, 0.1, null)));
    assertNull(partial.crossEncoderScore());
    assertNull(partial.shareCrossEncoderAbovePositive());
    assertEquals(0.1117, partial.cosineToQuery(), "0.11172 to 4 decimals");
  }

  @Test
  void oneRowPerFolderWithHardness() {
    List<Report.HardnessRow> rows =
        HardnessRows.of(
            List.of(
                new SourceFolder("exp", "d", "a", List.of(new SourceFolder.Seed(null, null, null))),
                new SourceFolder(
                    "exp",
                    "d",
                    "b",
                    List.of(new SourceFolder.Seed(null, null, hardness(1, 2, 0.5, null))))));
    assertEquals(1, rows.size());
    assertEquals("b", rows.get(0).source());
    assertEquals("b", rows.get(0).summary().source(), "named for the folder's source");
  }
}

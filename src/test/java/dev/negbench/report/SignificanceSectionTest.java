package dev.negbench.report;

import static dev.negbench.report.HandReport.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.analysis.SourceComparisons;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignificanceSectionTest {
  @Test
  void nothingWithoutResults() {
    assertEquals("", HandReport.render(new HandReport().build(), SignificanceSection::append));
  }

  @Test
  void everyPairPerDatasetThenAcrossBoldWhereHolmIsBelowAlpha() {
    HandReport h = new HandReport();
    h.datasets =
        List.of(
            new Report.DatasetRow(
                "exp",
                "d1",
                false,
                20,
                List.of(score("bm25", "bm25", 0.4, false), score("ce", "ce", 0.5, true)),
                List.of(
                    new SourceComparisons.Comparison(
                        "ce", "bm25", 20, 0.1, 0.05, 0.15, 0.001, 0.003))));
    h.across =
        List.of(
            new Report.AcrossDatasets(
                "exp",
                List.of(
                    new SourceComparisons.Comparison("ce", "bm25", 2, 0.1, 0.0, 0.2, 0.5, 1.0))));
    h.fixtures.put("exp/d2/ce", List.of("tiny-ce"));
    String html = HandReport.render(h.build(), SignificanceSection::append);
    assertTrue(
        html.contains(
            "<tr class=\"best\"><td class=\"l\">exp</td><td class=\"l\">d1</td><td class=\"l\">ce</td>"
                + "<td class=\"l\">bm25</td><td>20</td><td>+0.1000</td><td>[+0.0500, +0.1500]</td>"
                + "<td>0.0010</td><td>0.0030</td></tr>\n"),
        html);
    // Across datasets the label looks at every dataset: a fixture made ce on d2.
    assertTrue(
        html.contains(
            "<tr><td class=\"l\">exp</td><td class=\"l\">ALL</td><td class=\"l\">ce †</td>"
                + "<td class=\"l\">bm25</td><td>2</td><td>+0.1000</td><td>[+0.0000, +0.2000]</td>"
                + "<td>0.5000</td><td>1.0000</td></tr>\n"),
        html);
    assertTrue(!html.contains("†: made with a TEST FIXTURE"), "no per-dataset row is a fixture's");
  }
}

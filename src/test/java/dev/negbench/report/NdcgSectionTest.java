package dev.negbench.report;

import static dev.negbench.report.HandReport.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.results.Reference;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdcgSectionTest {
  @Test
  void noResultsSaysHowToMakeThem() {
    assertEquals(
        "<h2>nDCG@10 by dataset and negative source</h2>\n<p>No results under <code>results/</code>"
            + " yet: run <code>negbench reproduce --config FILE</code>.</p>\n",
        HandReport.render(new HandReport().build(), NdcgSection::append));
  }

  @Test
  void tableWithPublishedNumbersFixtureNoteAndChart() {
    HandReport h = new HandReport();
    h.datasets =
        List.of(
            new Report.DatasetRow(
                "exp",
                "SciFact",
                true,
                300,
                List.of(score("bm25", "bm25", 0.4, true), score("ce", "ce", 0.7, false)),
                List.of()));
    h.fixtures.put("exp/SciFact/ce", List.of("tiny-ce"));
    h.reference = List.of(new Reference("scifact", "BM25", "ndcg@10", 0.665, "BEIR <2021>"));
    String html = HandReport.render(h.build(), NdcgSection::append);
    assertTrue(
        html.contains("<h3>Experiment exp</h3>\n<p class=\"synthetic\">SciFact is SYNTHETIC"),
        html);
    assertTrue(
        html.contains(
            "<th>bm25</th><th>ce</th><th>published: BM25</th></tr>\n<tr><td class=\"l\">SciFact</td><td>300</td>"
                + "<td class=\"best\"><span class=\"v\">0.4000</span> ± 0.0100 (2)</td>"),
        html);
    assertTrue(
        html.contains(" ± 0.0100 (2) <span title=\"test fixture: tiny-ce\">†</span></td>"), html);
    assertTrue(
        html.contains("<td>0.6650</td></tr>"), "the published number, matched by lower case");
    assertTrue(
        html.contains("exp / SciFact / ce: tiny-ce.</p>"), "the fixture note names the model");
    assertTrue(html.contains("<figure><svg") && html.contains(">ce †</text>"), "the chart");
    assertTrue(
        html.endsWith("<p class=\"note\">Published numbers: BM25: BEIR &lt;2021&gt;.</p>\n"), html);
  }
}

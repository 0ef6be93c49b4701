package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.results.NegativesCost;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostSectionTest {
  @Test
  void noSourcesNoTable() {
    assertEquals(
        "<h2>Retrieve or generate: what each source's negatives cost</h2>\n"
            + "<p>No negative sources in the results.</p>\n",
        HandReport.render(new HandReport().build(), CostSection::append));
  }

  @Test
  void aRowPerSourceItsWorkAndPriceAndOnePointEachOnTheScatter() {
    NegativesCost bm25 =
        new NegativesCost(
            "bm25",
            "bm25",
            200,
            List.of(
                new NegativesCost.Part(
                    "mine", 2, "cpu", 0.09, 1, Map.of(NegativesCost.QUERIES_SEARCHED, 160L)),
                new NegativesCost.Part(
                    "index", 34, "cpu", 0.09, 1, Map.of(NegativesCost.DOCUMENTS_INDEXED, 1000L))),
            "test");
    HandReport h = new HandReport();
    h.costs =
        List.of(
            new Report.CostRow("exp", "d", "bm25", "bm25", bm25, 0.41, 0),
            new Report.CostRow("exp", "d", "file", "file", null, 0.3, -0.11));
    String html = HandReport.render(h.build(), CostSection::append);
    // 36 s at US$ 0.09 an hour: US$ 0.0009, 0.0045 per 1,000 negatives (6 decimals below a cent).
    assertTrue(
        html.contains(
            "<tr><td class=\"l\">exp</td><td class=\"l\">d</td><td class=\"l\">bm25</td><td>200</td>"
                + "<td>36.0</td><td class=\"l\">cpu</td>"
                + "<td class=\"l\">1,000 documents indexed; 160 queries searched</td>"
                + "<td>0.000900</td><td>0.004500</td><td>0.4100</td><td>+0.0000</td></tr>\n"),
        html);
    assertTrue(
        html.contains(
            "<td colspan=\"6\" class=\"l\">not recorded (result written before cost.json)</td>"
                + "<td>0.3000</td><td>-0.1100</td></tr>\n"),
        html);
    assertTrue(html.contains("US$ per 1,000 negatives (log scale)"), "the scatter's axis");
  }
}

package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.results.HardnessSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardnessSectionTest {
  @Test
  void noHardnessNoTable() {
    assertEquals(
        "<h2>Negative hardness</h2>\n<p>No <code>hardness.json</code> in the results.</p>\n",
        HandReport.render(new HandReport().build(), HardnessSection::append));
  }

  @Test
  void crossEncoderColumnsDashedWithoutOne() {
    HandReport h = new HandReport();
    h.hardness =
        List.of(
            new Report.HardnessRow(
                "exp",
                "d",
                "bm25",
                new HardnessSummary(
                    "bm25", 10, 50, 0.5, 0.6, 0.7, 0.1, 0.8, 0.2, null, null, 0.3, 100, 120.25)));
    String html = HandReport.render(h.build(), HardnessSection::append);
    assertTrue(
        html.contains(
            "<td class=\"l\">bm25</td><td>10</td><td>50</td><td>0.5000</td><td>0.6000</td>"
                + "<td>0.7000</td><td>0.1000</td><td>0.8000</td><td>0.2000</td><td>–</td><td>–</td>"
                + "<td>0.3000</td><td>100.0</td><td>120.3</td></tr>\n"),
        html);
  }
}

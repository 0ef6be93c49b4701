package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.results.JmhResults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelSectionTest {
  @Test
  void noJmhResultsSaysHowToMakeThem() {
    assertEquals(
        "<h2>Kernels (JMH)</h2>\n<p>No JMH results under <code>results/jmh/</code>: run"
            + " <code>mvn jmh:run</code>.</p>\n",
        HandReport.render(new HandReport().build(), KernelSection::append));
  }

  @Test
  void perClassTheStageRatesThenItsRowsWhereNothingComparesThem() {
    HandReport h = new HandReport();
    h.jmh = List.of(JmhResults.read(Path.of("results/jmh/encode-export.json")));
    h.stageRates =
        List.of(
            new Report.StageRate(
                "EncodeBenchmark",
                "exp",
                "d",
                "corpus encoded on cpu",
                1000,
                101.6,
                "documents/s"));
    String html = HandReport.render(h.build(), KernelSection::append);
    assertTrue(
        html.contains(
            "<h3>EncodeBenchmark: times corpus encoding (dense mining, evaluation)</h3>\n"
                + "<p class=\"note\">One operation: one document. </p>\n<table>\n"),
        html);
    assertTrue(
        html.contains(
            "<tr><td class=\"l\">corpus encoded on cpu</td><td class=\"l\">exp / d</td>"
                + "<td>1,000</td><td>101.6</td><td>9.84 documents/s</td></tr>\n"),
        html);
    // JmhRows.appendClass: the file has no comparison for the class.
    assertTrue(
        html.contains(
            "<tr><td class=\"l\">encode-export.json</td><td class=\"l\">encode</td>"
                + "<td class=\"l\">batchSize=64, corpus=scifact, engine=djl, maxLength=256,"
                + " model=minilm</td><td>1.938 ± 0.271</td><td class=\"l\">ops/s</td></tr>\n"),
        html);
    // JmhRows.appendAll: both rows in the collapsed block.
    assertTrue(html.contains("<details><summary>All 2 raw JMH rows</summary>\n"), html);
    assertTrue(html.endsWith("</table>\n</details>\n"), html);
  }
}

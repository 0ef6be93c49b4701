package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.results.JmhResults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JmhRowsTest {
  private static final JmhResults ENCODE =
      JmhResults.read(Path.of("results/jmh/encode-export.json"));

  @Test
  void aScoreWithItsErrorWhereJmhGaveOne() {
    JmhResults.Kernel k = ENCODE.kernels().get(0);
    assertEquals("1.938 ± 0.271", JmhRows.scoreText(k));
  }

  @Test
  void aClassesRowsInEveryFile() {
    HandReport h = new HandReport();
    h.jmh = List.of(ENCODE);
    StringBuilder b = new StringBuilder();
    JmhRows.appendClass(b, h.build().jmh(), "EncodeBenchmark");
    assertEquals(4, b.toString().split("<tr>").length, "header and two rows: " + b);
    b.setLength(0);
    JmhRows.appendClass(b, h.build().jmh(), "OtherBenchmark");
    assertEquals(2, b.toString().split("<tr>").length, "only the header: " + b);
  }

  @Test
  void everyRawRowPerFileWithItsJvmInACollapsedBlock() {
    HandReport h = new HandReport();
    h.jmh = List.of(ENCODE);
    StringBuilder b = new StringBuilder();
    JmhRows.appendAll(b, h.build());
    String html = b.toString();
    assertTrue(html.startsWith("<details><summary>All 2 raw JMH rows</summary>\n"), html);
    assertTrue(html.contains("<h4>encode-export.json</h4>\n<p class=\"note\">"), html);
    assertTrue(html.contains("JVM args: "), html);
    assertTrue(html.contains("<td>1.938</td><td>0.271</td><td class=\"l\">ops/s</td>"), html);
    assertTrue(html.endsWith("</table>\n</details>\n"), html);
  }
}

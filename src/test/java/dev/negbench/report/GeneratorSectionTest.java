package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.results.GenerationSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorSectionTest {
  @Test
  void noGenerationNoTable() {
    assertEquals(
        "<h2>Generators: cost and quality</h2>\n<p>No <code>generation.json</code> in the results"
            + " (no llm sources run yet).</p>\n",
        HandReport.render(new HandReport().build(), GeneratorSection::append));
  }

  @Test
  void throughputLatencyAndPricePerSource() {
    HandReport h = new HandReport();
    h.generators =
        List.of(
            new Report.GeneratorRow(
                "exp",
                "d",
                "gen",
                new GenerationSummary(
                    "<vllm>", "qwen", null, "1x H100", "H100", 2.0, true, 10, 50, 10, 1000, 5000,
                    36.0, 100, 200, 300, 1),
                0.5));
    String html = HandReport.render(h.build(), GeneratorSection::append);
    // 50 negatives in 36 s; 5,000 tokens; US$ 2 an hour: 0.02 for 50, 0.4 per 1,000.
    assertTrue(
        html.contains(
            "<td class=\"l\">&lt;vllm&gt; (simulated)</td><td class=\"l\">qwen</td><td>–</td>"
                + "<td class=\"l\">1x H100</td><td>50</td><td>1.39</td><td>138.9</td><td>100</td>"
                + "<td>200</td><td>300</td><td>0.4000</td><td>0.5000</td><td class=\"l\">1</td>"
                + "<td>–</td><td class=\"l\">–</td></tr>\n"),
        html);
  }

  @Test
  void sharedAndPerSeedGenerationSayWhatTheirSpreadHoldsAndGiveGenerationVariance() {
    HandReport h = new HandReport();
    GenerationSummary g =
        new GenerationSummary(
            "g", "m", null, "1x H100", "H100", 2.0, false, 10, 50, 10, 1000, 5000, 36.0, 100, 200,
            300, 1);
    h.generators =
        List.of(
            new Report.GeneratorRow("exp", "d", "shared", g, 0.5, 1, 3, 0.01),
            new Report.GeneratorRow("exp", "d", "perseed", g, 0.5, 3, 3, 0.02));
    String html = HandReport.render(h.build(), GeneratorSection::append);
    assertTrue(
        html.contains(
            "<td class=\"l\">1, shared by 3 seeds</td><td>0.0100</td><td class=\"l\">training</td>"),
        html);
    assertTrue(
        html.contains(
            "<td class=\"l\">3 for 3 seeds</td><td>0.0200</td>"
                + "<td class=\"l\">training + generation</td>"),
        html);
    // 0.02² − 0.01² = 0.0003
    assertTrue(
        html.contains(
            "Generation variance of g on d: sd² 0.0200 (per seed) − sd² 0.0100 (shared) = 0.000300"),
        html);
  }
}

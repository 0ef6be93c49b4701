package dev.negbench.report;

import dev.negbench.results.GenerationSummary;
import java.util.Locale;

/**
 * The page's generator table: per LLM source, throughput, request latency percentiles and the GPU
 * cost of 1,000 negatives, beside the nDCG@10 they bought.
 */
final class GeneratorSection {
  private GeneratorSection() {}

  static void append(StringBuilder b, Report r) {
    b.append("<h2>Generators: cost and quality</h2>\n");
    if (r.generators().isEmpty()) {
      b.append("<p>No <code>generation.json</code> in the results (no llm sources run yet).</p>\n");
      return;
    }
    b.append(
        "<p class=\"note\">Per LLM source (summed over seeds): throughput, request latency percentiles, and the GPU cost of 1,000 negatives at the configured price per GPU hour. Simulated rows come from the generation simulator, not a real GPU.</p>\n");
    Html.daggerNote(
        b,
        r.generators().stream()
            .map(g -> r.label(g.experiment(), g.dataset(), g.source()))
            .toList());
    b.append(
        "<table>\n<tr><th class=\"l\">experiment</th><th class=\"l\">dataset</th><th class=\"l\">source</th><th class=\"l\">generator</th><th class=\"l\">model</th><th>size (B)</th><th class=\"l\">device</th><th>negatives</th><th>negatives/s</th><th>tokens/s</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>$ / 1,000 negatives</th><th>nDCG@10</th></tr>\n");
    for (Report.GeneratorRow g : r.generators()) {
      GenerationSummary s = g.generation();
      b.append("<tr><td class=\"l\">")
          .append(Html.esc(g.experiment()))
          .append("</td><td class=\"l\">")
          .append(Html.esc(g.dataset()))
          .append("</td><td class=\"l\">")
          .append(Html.esc(r.label(g.experiment(), g.dataset(), g.source())))
          .append("</td><td class=\"l\">")
          .append(Html.esc(s.generator()))
          .append(s.simulated() ? " (simulated)" : "")
          .append("</td><td class=\"l\">")
          .append(Html.esc(s.model()))
          .append("</td><td>")
          .append(
              s.parametersB() == null ? "–" : String.format(Locale.ROOT, "%.1f", s.parametersB()))
          .append("</td><td class=\"l\">")
          .append(Html.esc(s.device()))
          .append("</td><td>")
          .append(s.negatives())
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.2f", s.negativesPerSecond()))
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f", s.tokensPerSecond()))
          .append("</td><td>")
          .append(
              String.format(
                  Locale.ROOT,
                  "%.0f</td><td>%.0f</td><td>%.0f",
                  s.latencyP50Ms(),
                  s.latencyP90Ms(),
                  s.latencyP99Ms()))
          .append("</td><td>")
          .append(
              Double.isNaN(s.usdPer1000Negatives())
                  ? "–"
                  : String.format(Locale.ROOT, "%.4f", s.usdPer1000Negatives()))
          .append("</td><td>")
          .append(Html.n4(g.ndcg10()))
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }
}

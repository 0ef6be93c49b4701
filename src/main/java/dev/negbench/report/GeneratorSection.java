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
        "<p class=\"note\">Per LLM source (summed over its generations: one shared by every seed, or one a seed with <code>per_seed: true</code>): throughput, request latency percentiles, and the GPU cost of 1,000 negatives at the configured price per GPU hour. The sd of nDCG@10 over seeds holds training variance alone where the seeds share one generation, and generation variance too where each seed generated its own. Simulated rows come from the generation simulator, not a real GPU.</p>\n");
    Html.daggerNote(
        b,
        r.generators().stream()
            .map(g -> r.label(g.experiment(), g.dataset(), g.source()))
            .toList());
    b.append(
        "<table>\n<tr><th class=\"l\">experiment</th><th class=\"l\">dataset</th><th class=\"l\">source</th><th class=\"l\">generator</th><th class=\"l\">model</th><th>size (B)</th><th class=\"l\">device</th><th>negatives</th><th>negatives/s</th><th>tokens/s</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>$ / 1,000 negatives</th><th>nDCG@10</th><th class=\"l\">generations</th><th>sd over seeds</th><th class=\"l\">sd holds</th></tr>\n");
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
          .append("</td><td class=\"l\">")
          .append(generations(g))
          .append("</td><td>")
          .append(Double.isNaN(g.ndcg10Sd()) || g.seeds() < 2 ? "–" : Html.n4(g.ndcg10Sd()))
          .append("</td><td class=\"l\">")
          .append(g.sdHolds().isEmpty() ? "–" : g.sdHolds())
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
    appendGenerationVariance(b, r);
  }

  private static String generations(Report.GeneratorRow g) {
    if (g.seeds() < 2) {
      return String.valueOf(g.generations());
    }
    return g.shared()
        ? "1, shared by " + g.seeds() + " seeds"
        : g.generations() + " for " + g.seeds() + " seeds";
  }

  /**
   * Where one experiment runs a generator both shared and per seed on a dataset: generation
   * variance as the difference of the two variances over seeds.
   */
  private static void appendGenerationVariance(StringBuilder b, Report r) {
    for (Report.GeneratorRow perSeed : r.generators()) {
      if (perSeed.seeds() < 2 || perSeed.generations() < 2) {
        continue;
      }
      for (Report.GeneratorRow shared : r.generators()) {
        if (shared.shared()
            && shared.experiment().equals(perSeed.experiment())
            && shared.dataset().equals(perSeed.dataset())
            && shared.generation().model().equals(perSeed.generation().model())) {
          double v =
              perSeed.ndcg10Sd() * perSeed.ndcg10Sd() - shared.ndcg10Sd() * shared.ndcg10Sd();
          b.append("<p class=\"note\">Generation variance of ")
              .append(Html.esc(perSeed.generation().generator()))
              .append(" on ")
              .append(Html.esc(perSeed.dataset()))
              .append(
                  String.format(
                      Locale.ROOT,
                      ": sd² %s (per seed) − sd² %s (shared) = %.6f",
                      Html.n4(perSeed.ndcg10Sd()),
                      Html.n4(shared.ndcg10Sd()),
                      v))
              .append(v < 0 ? " (below zero: no generation variance beyond the seeds' noise)" : "")
              .append(", in nDCG@10².</p>\n");
        }
      }
    }
  }
}

package dev.negbench.report;

import dev.negbench.results.GenerationSummary;
import dev.negbench.results.HardnessSummary;
import dev.negbench.results.JmhResults;
import dev.negbench.results.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no scripts, fonts or links to
 * fetch. Every string that comes from results, configs or an LLM goes through {@link Html#esc}.
 */
final class HtmlPage {
  private static final String CSS =
      "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}"
          + "table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}"
          + "th{background:#f3f3f3}td.l,th.l{text-align:left}.best{font-weight:bold}.sig{color:#0a7d2c}.neg{color:#b3261e}"
          + ".note{color:#555;font-size:13px}.synthetic{background:#fff4d6;padding:4px 8px;border:1px solid #e0c060}code{font-size:12px}";

  private HtmlPage() {}

  static String render(Report r) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>negbench report</title>\n<style>")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<h1>negbench report</h1>\n");
    b.append("<p class=\"note\">Dense retrievers fine-tuned on hard negatives from each source, evaluated by nDCG@10; generated from the committed <code>results/</code> by <code>negbench report</code>.</p>\n");
    ndcg(b, r);
    generators(b, r);
    hardness(b, r);
    jmh(b, r);
    b.append("</body>\n</html>\n");
    return b.toString();
  }

  private static String n4(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static void ndcg(StringBuilder b, Report r) {
    b.append("<h2>nDCG@10 by dataset and negative source</h2>\n");
    if (r.datasets().isEmpty()) {
      b.append("<p>No results under <code>results/</code> yet: run <code>negbench reproduce --config FILE</code>.</p>\n");
      return;
    }
    b.append("<p class=\"note\">Mean ± standard deviation over seeds (n seeds). ▲/▼: differs from the <code>bm25</code> source at α = 0.05 by a two-sided paired randomization test on per-query nDCG@10 (averaged over seeds; 10,000 permutations, Smucker et al. 2007) with Holm's correction over the sources of the dataset. Bold: best in the row. <code>zero-shot</code>: the base model untrained. Published: reference numbers from <code>results/reference/</code>.</p>\n");
    Map<String, List<Report.DatasetRow>> byExperiment = new TreeMap<>();
    r.datasets().forEach(d -> byExperiment.computeIfAbsent(d.experiment(), k -> new ArrayList<>()).add(d));
    List<String> published = new ArrayList<>(new TreeSet<>(r.reference().stream().filter(x -> x.metric().equals(Report.NDCG10)).map(Reference::system).toList()));
    for (var exp : byExperiment.entrySet()) {
      List<String> sources = new ArrayList<>();
      Map<String, String> types = new LinkedHashMap<>();
      for (Report.DatasetRow d : exp.getValue()) {
        for (Report.Score s : d.scores()) {
          types.putIfAbsent(s.source(), s.type());
        }
      }
      types.entrySet().stream().map(e -> new String[] {e.getKey(), e.getValue()}).sorted(Report.SOURCE_ORDER).forEach(s -> sources.add(s[0]));
      b.append("<h3>Experiment ").append(Html.esc(exp.getKey())).append("</h3>\n");
      for (Report.DatasetRow d : exp.getValue()) {
        if (d.synthetic()) {
          b.append("<p class=\"synthetic\">").append(Html.esc(d.dataset()))
              .append(" is SYNTHETIC (negbench synth): its numbers test the machinery, not retrieval quality.</p>\n");
        }
      }
      b.append("<table>\n<tr><th class=\"l\">dataset</th><th>queries</th>");
      sources.forEach(s -> b.append("<th>").append(Html.esc(s)).append("</th>"));
      published.forEach(p -> b.append("<th>published: ").append(Html.esc(p)).append("</th>"));
      b.append("</tr>\n");
      for (Report.DatasetRow d : exp.getValue()) {
        b.append("<tr><td class=\"l\">").append(Html.esc(d.dataset())).append("</td><td>").append(d.queries()).append("</td>");
        for (String s : sources) {
          Report.Score sc = d.score(s);
          if (sc == null) {
            b.append("<td>–</td>");
            continue;
          }
          b.append("<td").append(sc.best() ? " class=\"best\"" : "").append(">").append(n4(sc.mean()));
          b.append(String.format(Locale.ROOT, " ± %.4f (%d)", sc.sd(), sc.seeds()));
          if (sc.significant()) {
            b.append(sc.direction() >= 0 ? " <span class=\"sig\" title=\"" : " <span class=\"neg\" title=\"")
                .append(String.format(Locale.ROOT, "p = %.4f, Holm p = %.4f", sc.p(), sc.pHolm()))
                .append("\">")
                .append(sc.direction() >= 0 ? "▲" : "▼")
                .append("</span>");
          }
          b.append("</td>");
        }
        for (String p : published) {
          String v = "–";
          for (Reference ref : r.reference()) {
            if (ref.metric().equals(Report.NDCG10) && ref.system().equals(p) && ref.dataset().equals(d.dataset().toLowerCase(Locale.ROOT))) {
              v = n4(ref.value());
            }
          }
          b.append("<td>").append(v).append("</td>");
        }
        b.append("</tr>\n");
      }
      b.append("</table>\n");
      double[][] values = new double[exp.getValue().size()][sources.size()];
      double[][] errors = new double[exp.getValue().size()][sources.size()];
      List<String> categories = new ArrayList<>();
      for (int i = 0; i < exp.getValue().size(); i++) {
        Report.DatasetRow d = exp.getValue().get(i);
        categories.add(d.dataset());
        for (int j = 0; j < sources.size(); j++) {
          Report.Score sc = d.score(sources.get(j));
          values[i][j] = sc == null ? Double.NaN : sc.mean();
          errors[i][j] = sc == null ? Double.NaN : sc.sd();
        }
      }
      b.append("<figure>").append(Svg.groupedBars("nDCG@10 per dataset by source, " + exp.getKey(), categories, sources, values, errors))
          .append("<figcaption class=\"note\">nDCG@10 per dataset by negative source (whiskers: ± sd over seeds).</figcaption></figure>\n");
    }
    List<Reference> sources = r.reference().stream().toList();
    if (!sources.isEmpty()) {
      TreeSet<String> cites = new TreeSet<>();
      sources.forEach(x -> cites.add(x.system() + ": " + x.source()));
      b.append("<p class=\"note\">Published numbers: ");
      b.append(String.join("; ", cites.stream().map(Html::esc).toList()));
      b.append(".</p>\n");
    }
  }

  private static void generators(StringBuilder b, Report r) {
    b.append("<h2>Generators: cost and quality</h2>\n");
    if (r.generators().isEmpty()) {
      b.append("<p>No <code>generation.json</code> in the results (no llm sources run yet).</p>\n");
      return;
    }
    b.append("<p class=\"note\">Per LLM source (summed over seeds): throughput, request latency percentiles, and the GPU cost of 1,000 negatives at the configured price per GPU hour. Simulated rows come from the generation simulator, not a real GPU.</p>\n");
    b.append("<table>\n<tr><th class=\"l\">experiment</th><th class=\"l\">dataset</th><th class=\"l\">source</th><th class=\"l\">generator</th><th class=\"l\">model</th><th>size (B)</th><th class=\"l\">device</th><th>negatives</th><th>negatives/s</th><th>tokens/s</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>$ / 1,000 negatives</th><th>nDCG@10</th></tr>\n");
    List<String> labels = new ArrayList<>();
    double[] x = new double[r.generators().size()];
    double[] y = new double[r.generators().size()];
    int i = 0;
    for (Report.GeneratorRow g : r.generators()) {
      GenerationSummary s = g.generation();
      b.append("<tr><td class=\"l\">").append(Html.esc(g.experiment())).append("</td><td class=\"l\">").append(Html.esc(g.dataset()))
          .append("</td><td class=\"l\">").append(Html.esc(g.source())).append("</td><td class=\"l\">").append(Html.esc(s.generator()))
          .append(s.simulated() ? " (simulated)" : "").append("</td><td class=\"l\">").append(Html.esc(s.model())).append("</td><td>")
          .append(s.parametersB() == null ? "–" : String.format(Locale.ROOT, "%.1f", s.parametersB())).append("</td><td class=\"l\">")
          .append(Html.esc(s.device())).append("</td><td>").append(s.negatives()).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.2f", s.negativesPerSecond())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f", s.tokensPerSecond())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.0f</td><td>%.0f</td><td>%.0f", s.latencyP50Ms(), s.latencyP90Ms(), s.latencyP99Ms()))
          .append("</td><td>").append(Double.isNaN(s.usdPer1000Negatives()) ? "–" : String.format(Locale.ROOT, "%.4f", s.usdPer1000Negatives()))
          .append("</td><td>").append(n4(g.ndcg10())).append("</td></tr>\n");
      labels.add(g.dataset() + " " + s.generator());
      x[i] = s.usdPer1000Negatives();
      y[i] = g.ndcg10();
      i++;
    }
    b.append("</table>\n<figure>")
        .append(Svg.scatter("Cost against nDCG@10 per generator", "US$ per 1,000 negatives", "nDCG@10", labels, x, y))
        .append("<figcaption class=\"note\">Cost of 1,000 generated negatives against the nDCG@10 of the retriever trained on them; generators without a price or without a trained result are left out.</figcaption></figure>\n");
  }

  private static void hardness(StringBuilder b, Report r) {
    b.append("<h2>Negative hardness</h2>\n");
    if (r.hardness().isEmpty()) {
      b.append("<p>No <code>hardness.json</code> in the results.</p>\n");
      return;
    }
    b.append("<p class=\"note\">Means over each source's negatives against its query's first positive (averaged over seeds): cosine similarity under the reference encoder to the query and to the positive; share of negatives closer to the query than the positive; BM25 score against the query relative to the positive's, and the share above it; cross-encoder score and share scored above the positive (likely false negatives) when a cross-encoder is configured; token Jaccard overlap with the positive; length in tokens.</p>\n");
    b.append("<table>\n<tr><th class=\"l\">experiment</th><th class=\"l\">dataset</th><th class=\"l\">source</th><th>queries</th><th>negatives</th><th>cos(neg, query)</th><th>cos(neg, pos)</th><th>cos(pos, query)</th><th>closer than pos</th><th>BM25 / pos</th><th>BM25 above pos</th><th>CE score</th><th>CE above pos</th><th>Jaccard with pos</th><th>neg tokens</th><th>pos tokens</th></tr>\n");
    for (Report.HardnessRow h : r.hardness()) {
      HardnessSummary s = h.summary();
      b.append("<tr><td class=\"l\">").append(Html.esc(h.experiment())).append("</td><td class=\"l\">").append(Html.esc(h.dataset()))
          .append("</td><td class=\"l\">").append(Html.esc(h.source())).append("</td><td>").append(s.queries()).append("</td><td>")
          .append(s.negatives()).append("</td>");
      for (double v : new double[] {s.cosineToQuery(), s.cosineToPositive(), s.positiveCosineToQuery(), s.shareCloserThanPositive(), s.bm25Ratio(), s.shareBm25AbovePositive()}) {
        b.append("<td>").append(n4(v)).append("</td>");
      }
      b.append("<td>").append(s.crossEncoderScore() == null ? "–" : n4(s.crossEncoderScore())).append("</td><td>")
          .append(s.shareCrossEncoderAbovePositive() == null ? "–" : n4(s.shareCrossEncoderAbovePositive())).append("</td><td>")
          .append(n4(s.jaccardWithPositive())).append("</td><td>").append(String.format(Locale.ROOT, "%.1f</td><td>%.1f", s.negativeTokens(), s.positiveTokens()))
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void jmh(StringBuilder b, Report r) {
    b.append("<h2>Kernel timings (JMH)</h2>\n");
    if (r.jmh().isEmpty()) {
      b.append("<p>No JMH results under <code>results/jmh/</code>: run <code>mvn jmh:run</code>.</p>\n");
      return;
    }
    b.append("<p class=\"note\">Scores with JMH's 99.9% confidence error; bars are scaled per benchmark method. Hardware is not recorded by JMH: see the README section of the run.</p>\n");
    for (JmhResults f : r.jmh()) {
      b.append("<h3>").append(Html.esc(f.file())).append("</h3>\n");
      TreeSet<String> envs = new TreeSet<>();
      f.runs().forEach(run -> envs.add(run.jvm() + "; JVM args: " + String.join(" ", run.jvmArgs())));
      for (String env : envs) {
        b.append("<p class=\"note\">").append(Html.esc(env)).append("</p>\n");
      }
      Map<String, Double> maxByBenchmark = new TreeMap<>();
      for (JmhResults.Run run : f.runs()) {
        maxByBenchmark.merge(run.benchmark(), run.score() + (Double.isNaN(run.error()) ? 0 : run.error()), Math::max);
      }
      b.append("<table>\n<tr><th class=\"l\">benchmark</th><th class=\"l\">params</th><th>mode</th><th>threads</th><th>forks</th><th>warmup</th><th>measurement</th><th>score</th><th>± error</th><th class=\"l\">unit</th><th class=\"l\">score</th></tr>\n");
      for (JmhResults.Run run : f.runs()) {
        b.append("<tr><td class=\"l\">").append(Html.esc(run.shortName())).append("</td><td class=\"l\">").append(Html.esc(run.paramText()))
            .append("</td><td>").append(Html.esc(run.mode())).append("</td><td>").append(run.threads()).append("</td><td>").append(run.forks())
            .append("</td><td>").append(Html.esc(run.warmup())).append("</td><td>").append(Html.esc(run.measurement())).append("</td><td>")
            .append(String.format(Locale.ROOT, "%,.3f", run.score())).append("</td><td>")
            .append(Double.isNaN(run.error()) ? "–" : String.format(Locale.ROOT, "%,.3f", run.error())).append("</td><td class=\"l\">")
            .append(Html.esc(run.unit())).append("</td><td class=\"l\">")
            .append(Svg.errorBar(run.score(), run.error(), maxByBenchmark.get(run.benchmark()))).append("</td></tr>\n");
      }
      b.append("</table>\n");
    }
  }
}

package dev.negbench.report;

import dev.negbench.analysis.SourceComparisons;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.HardnessSummary;
import dev.negbench.results.JmhRatios;
import dev.negbench.results.JmhResults;
import dev.negbench.results.NegativesCost;
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
      "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1340px;color:#222;padding:0 1em}"
          + "table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}"
          + "th{background:#f3f3f3}td.l,th.l{text-align:left}.best{font-weight:bold}.sig{color:#0a7d2c}.neg{color:#b3261e}"
          + "td.l{overflow-wrap:anywhere}tr.avg td{border-top:2px solid #888}svg{max-width:100%;height:auto}details{margin:1em 0}summary{cursor:pointer;font-weight:bold}"
          + ".note{color:#555;font-size:13px}.synthetic{background:#fff4d6;padding:4px 8px;border:1px solid #e0c060}code{font-size:12px}";

  private HtmlPage() {}

  static String render(Report r) {
    StringBuilder b = new StringBuilder();
    b.append(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>negbench report</title>\n<style>")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<h1>negbench report</h1>\n");
    b.append(
        "<p class=\"note\">Dense retrievers fine-tuned on hard negatives from each source, evaluated by nDCG@10; generated from the committed <code>results/</code> by <code>negbench report</code>.</p>\n");
    ndcg(b, r);
    significance(b, r);
    cost(b, r);
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
      b.append(
          "<p>No results under <code>results/</code> yet: run <code>negbench reproduce --config FILE</code>.</p>\n");
      return;
    }
    b.append(
            "<p class=\"note\">Mean ± standard deviation over seeds (n seeds). ▲/▼: differs from the <code>")
        .append(Report.BASELINE)
        .append(
            "</code> source at α = 0.05 by a two-sided randomization test over queries and seeds (per query the scores of both sources' seeds relabelled; one seed each: the paired randomization test of Smucker et al. 2007; 10,000 permutations) with Holm's correction over every pair of sources of the dataset (all pairs: the significance table below). Average row: mean over datasets, marks from Wilcoxon's signed-rank test over the datasets. Bold: best in the row (a source marked † counts only when every source is). <code>zero-shot</code>: the base model untrained. Published: reference numbers from <code>results/reference/</code>. The same table as LaTeX: <code>ndcg10.tex</code>.</p>\n");
    List<String> published =
        new ArrayList<>(
            new TreeSet<>(
                r.reference().stream()
                    .filter(x -> x.metric().equals(Report.NDCG10))
                    .map(Reference::system)
                    .toList()));
    Map<String, List<Report.DatasetRow>> byExperiment = new TreeMap<>();
    r.datasets()
        .forEach(d -> byExperiment.computeIfAbsent(d.experiment(), k -> new ArrayList<>()).add(d));
    for (NdcgTable t : NdcgTable.of(r)) {
      List<Report.DatasetRow> datasets = byExperiment.get(t.experiment());
      b.append("<h3>Experiment ").append(Html.esc(t.experiment())).append("</h3>\n");
      for (Report.DatasetRow d : datasets) {
        if (d.synthetic()) {
          b.append("<p class=\"synthetic\">")
              .append(Html.esc(d.dataset()))
              .append(
                  " is SYNTHETIC (negbench synth): its numbers test the machinery, not retrieval quality.</p>\n");
        }
      }
      b.append("<table class=\"ndcg\">\n<tr><th class=\"l\">dataset</th><th>queries</th>");
      t.sources().forEach(s -> b.append("<th>").append(Html.esc(s)).append("</th>"));
      published.forEach(p -> b.append("<th>published: ").append(Html.esc(p)).append("</th>"));
      b.append("</tr>\n");
      for (NdcgTable.Row row : t.rows()) {
        b.append("<tr")
            .append(row.average() ? " class=\"avg\"" : "")
            .append("><td class=\"l\">")
            .append(Html.esc(row.label()))
            .append("</td><td>")
            .append(row.average() ? "" : String.valueOf(row.queries()))
            .append("</td>");
        for (NdcgTable.Cell c : row.cells()) {
          if (c == null) {
            b.append("<td>–</td>");
            continue;
          }
          b.append("<td")
              .append(c.best() ? " class=\"best\"" : "")
              .append(">")
              .append("<span class=\"v\">")
              .append(n4(c.mean()))
              .append("</span>");
          if (!row.average()) {
            b.append(String.format(Locale.ROOT, " ± %.4f (%d)", c.sd(), c.seeds()));
          }
          if (c.mark() != 0) {
            b.append(c.mark() > 0 ? " <span class=\"sig\"" : " <span class=\"neg\"")
                .append(" title=\"")
                .append(Html.esc(c.title()))
                .append("\">")
                .append(c.mark() > 0 ? "▲" : "▼")
                .append("</span>");
          }
          if (c.fixture()) {
            b.append(" <span title=\"test fixture: ")
                .append(Html.esc(String.join(", ", c.fixtures())))
                .append("\">†</span>");
          }
          b.append("</td>");
        }
        for (String p : published) {
          String v = "–";
          for (Reference ref : r.reference()) {
            if (!row.average()
                && ref.metric().equals(Report.NDCG10)
                && ref.system().equals(p)
                && ref.dataset().equals(row.label().toLowerCase(Locale.ROOT))) {
              v = n4(ref.value());
            }
          }
          b.append("<td>").append(v).append("</td>");
        }
        b.append("</tr>\n");
      }
      b.append("</table>\n");
      fixtureNote(b, r, t.experiment());
      List<Svg.Whisker> points = new ArrayList<>();
      for (Report.DatasetRow d : datasets) {
        for (int j = 0; j < t.sources().size(); j++) {
          Report.Score sc = d.score(t.sources().get(j));
          if (sc != null) {
            // The chart shortens labels to 18 characters: the name first, so that the mark stays.
            String label =
                r.fixtureModels(d.experiment(), d.dataset(), sc.source()).isEmpty()
                    ? sc.source()
                    : Svg.shorten(sc.source(), 18 - Report.FIXTURE_MARK.length())
                        + Report.FIXTURE_MARK;
            points.add(new Svg.Whisker(d.dataset(), label, j, sc.mean(), sc.ciLow(), sc.ciHigh()));
          }
        }
      }
      b.append("<figure>")
          .append(
              Svg.dotWhisker(
                  "nDCG@10 per dataset and source with 95% intervals, " + t.experiment(), points))
          .append(
              "<figcaption class=\"note\">nDCG@10 per dataset and negative source: dot at the mean over seeds, whiskers the 95% percentile bootstrap interval of the mean (10,000 resamples of queries and seeds). The axis starts near the lowest interval, not at zero.</figcaption></figure>\n");
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

  /**
   * Names every result of {@code experiment} that a test fixture made (its sources are marked †
   * wherever they appear), so that nobody reads its numbers as a model's quality.
   */
  private static void fixtureNote(StringBuilder b, Report r, String experiment) {
    List<String> notes =
        r.fixtureNotes().stream().filter(n -> n.startsWith(experiment + " / ")).toList();
    if (notes.isEmpty()) {
      return;
    }
    b.append(
            "<p class=\"synthetic\">†: made with a TEST FIXTURE, a tiny random-weight model of the test suite (its outputs are noise, e.g. cross-encoder negatives that are BM25 candidates in an arbitrary order); its numbers test the machinery, not the source. ")
        .append(String.join("; ", notes.stream().map(Html::esc).toList()))
        .append(".</p>\n");
  }

  /**
   * Before a table whose {@code names} (source labels) include one marked †: what the mark means
   * (the nDCG@10 section names the models).
   */
  private static void daggerNote(StringBuilder b, List<String> names) {
    if (names.stream().anyMatch(n -> n.endsWith(Report.FIXTURE_MARK))) {
      b.append(
          "<p class=\"note\">†: made with a TEST FIXTURE, a tiny random-weight model (named under the nDCG@10 table); its numbers test the machinery, not the source.</p>\n");
    }
  }

  private static void significance(StringBuilder b, Report r) {
    if (r.datasets().isEmpty()) {
      return;
    }
    b.append("<h2>Every pair of sources</h2>\n");
    b.append(
        "<p class=\"note\">Δ = mean nDCG@10 of source A − source B; 95% percentile bootstrap interval (10,000 resamples of queries and seeds); p: two-sided randomization test over queries and seeds (scores of both sources' seeds relabelled within each query); Holm: corrected over all pairs of the dataset. Rows <code>ALL</code>: the mean over datasets per source, the interval resampling datasets, Wilcoxon's signed-rank test over datasets, Holm over the experiment's pairs. Bold: Holm p &lt; 0.05. Also in <code>significance.csv</code>.</p>\n");
    List<String> names = new ArrayList<>();
    for (Report.DatasetRow d : r.datasets()) {
      d.comparisons()
          .forEach(
              c ->
                  names.addAll(
                      List.of(
                          r.label(d.experiment(), d.dataset(), c.sourceA()),
                          r.label(d.experiment(), d.dataset(), c.sourceB()))));
    }
    daggerNote(b, names);
    b.append(
        "<table>\n<tr><th class=\"l\">experiment</th><th class=\"l\">dataset</th><th class=\"l\">source A</th><th class=\"l\">source B</th><th>n</th><th>Δ</th><th>95% interval</th><th>p</th><th>Holm p</th></tr>\n");
    for (Report.DatasetRow d : r.datasets()) {
      d.comparisons().forEach(c -> comparisonRow(b, r, d.experiment(), d.dataset(), c));
    }
    for (Report.AcrossDatasets a : r.across()) {
      a.comparisons().forEach(c -> comparisonRow(b, r, a.experiment(), ReportTables.ALL, c));
    }
    b.append("</table>\n");
  }

  private static void comparisonRow(
      StringBuilder b,
      Report r,
      String experiment,
      String dataset,
      SourceComparisons.Comparison c) {
    boolean sig = c.pHolm() < Report.ALPHA;
    String ds = dataset.equals(ReportTables.ALL) ? null : dataset;
    b.append("<tr")
        .append(sig ? " class=\"best\"" : "")
        .append("><td class=\"l\">")
        .append(Html.esc(experiment))
        .append("</td><td class=\"l\">")
        .append(Html.esc(dataset))
        .append("</td><td class=\"l\">")
        .append(Html.esc(r.label(experiment, ds, c.sourceA())))
        .append("</td><td class=\"l\">")
        .append(Html.esc(r.label(experiment, ds, c.sourceB())))
        .append("</td><td>")
        .append(c.units())
        .append("</td><td>")
        .append(
            String.format(
                Locale.ROOT,
                "%+.4f</td><td>[%+.4f, %+.4f]</td><td>%.4f</td><td>%.4f",
                c.delta(),
                c.ciLow(),
                c.ciHigh(),
                c.p(),
                c.pHolm()))
        .append("</td></tr>\n");
  }

  private static String scoreText(JmhResults.Kernel run) {
    return String.format(Locale.ROOT, "%,.3f", run.score())
        + (Double.isNaN(run.error()) ? "" : String.format(Locale.ROOT, " ± %,.3f", run.error()));
  }

  private static String verdict(boolean applies, boolean met) {
    return !applies
        ? "<td class=\"l\">no target here</td>"
        : met ? "<td class=\"l sig\">met</td>" : "<td class=\"l neg\">missed</td>";
  }

  private static void cost(StringBuilder b, Report r) {
    b.append("<h2>Retrieve or generate: what each source's negatives cost</h2>\n");
    if (r.costs().isEmpty()) {
      b.append("<p>No negative sources in the results.</p>\n");
      return;
    }
    b.append(
        "<p class=\"note\">Per source and dataset: the wall time of making its negatives, with what they needed first (the BM25 index, the corpus encoded for dense mining: their build time, charged to every source that uses them; a <code>ce</code> source's cross-encoder trained in the experiment: each training round's seconds), summed over its distinct negatives stages (a seed-independent source mines once for all seeds); priced at the experiment's price of a CPU hour (<code>cpu_hour_usd</code>, default US$ 0.085, a 2-vCPU cloud machine) or of its GPUs (<code>gpu_prices</code>). Simulated generation is priced as if its GPU had run it. Training and evaluating the retriever are not included: they cost the same for every source. Also in <code>cost.csv</code>.</p>\n");
    daggerNote(
        b, r.costs().stream().map(c -> r.label(c.experiment(), c.dataset(), c.source())).toList());
    b.append(
            "<table>\n<tr><th class=\"l\">experiment</th><th class=\"l\">dataset</th><th class=\"l\">source</th><th>negatives</th><th>seconds</th><th class=\"l\">device</th><th class=\"l\">work</th><th>US$</th><th>US$ / 1,000 negatives</th><th>nDCG@10</th><th>Δ vs ")
        .append(Report.BASELINE)
        .append("</th></tr>\n");
    List<String> labels = new ArrayList<>();
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    List<Integer> colours = new ArrayList<>();
    Map<String, Integer> colourBySource = new LinkedHashMap<>();
    for (Report.CostRow c : r.costs()) {
      NegativesCost n = c.cost();
      b.append("<tr><td class=\"l\">")
          .append(Html.esc(c.experiment()))
          .append("</td><td class=\"l\">")
          .append(Html.esc(c.dataset()))
          .append("</td><td class=\"l\">")
          .append(Html.esc(r.label(c.experiment(), c.dataset(), c.source())))
          .append("</td>");
      if (n == null) {
        b.append(
            "<td colspan=\"6\" class=\"l\">not recorded (result written before cost.json)</td>");
      } else {
        b.append("<td>")
            .append(n.negatives())
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%,.1f", n.seconds()))
            .append("</td><td class=\"l\">")
            .append(Html.esc(n.devices()))
            .append("</td><td class=\"l\">")
            .append(Html.esc(work(n)))
            .append("</td><td>")
            .append(usd(n.usd()))
            .append("</td><td>")
            .append(usd(c.usdPer1000Negatives()))
            .append("</td>");
      }
      b.append("<td>")
          .append(n4(c.ndcg10()))
          .append("</td><td>")
          .append(
              Double.isNaN(c.deltaVsBaseline())
                  ? "–"
                  : String.format(Locale.ROOT, "%+.4f", c.deltaVsBaseline()))
          .append("</td></tr>\n");
      if (n != null && c.usdPer1000Negatives() > 0 && !Double.isNaN(c.ndcg10())) {
        labels.add(c.dataset() + " / " + r.label(c.experiment(), c.dataset(), c.source()));
        xs.add(c.usdPer1000Negatives());
        ys.add(c.ndcg10());
        colours.add(colourBySource.computeIfAbsent(c.source(), k -> colourBySource.size()));
      }
    }
    b.append("</table>\n<figure>")
        .append(
            Svg.scatter(
                "Cost of 1,000 negatives against nDCG@10, every source",
                "US$ per 1,000 negatives (log scale)",
                "nDCG@10",
                labels,
                xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray(),
                colours.stream().mapToInt(Integer::intValue).toArray()))
        .append(
            "<figcaption class=\"note\">Every source, mined and generated: US$ per 1,000 negatives (log scale) against the nDCG@10 of the retriever trained on them; up and to the left is better.</figcaption></figure>\n");
  }

  /** The work counters of a cost, e.g. "1,000 documents indexed; 160 queries searched". */
  private static String work(NegativesCost n) {
    List<String> parts = new ArrayList<>();
    for (String counter :
        List.of(
            NegativesCost.DOCUMENTS_INDEXED,
            NegativesCost.DOCUMENTS_ENCODED,
            NegativesCost.QUERIES_SEARCHED,
            NegativesCost.PAIRS_SCORED,
            NegativesCost.TOKENS_GENERATED)) {
      long v = n.work(counter);
      if (v > 0) {
        parts.add(String.format(Locale.ROOT, "%,d %s", v, counter.replace('_', ' ')));
      }
    }
    return String.join("; ", parts);
  }

  private static String usd(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, v >= 0.01 ? "%.4f" : "%.6f", v);
  }

  private static void generators(StringBuilder b, Report r) {
    b.append("<h2>Generators: cost and quality</h2>\n");
    if (r.generators().isEmpty()) {
      b.append("<p>No <code>generation.json</code> in the results (no llm sources run yet).</p>\n");
      return;
    }
    b.append(
        "<p class=\"note\">Per LLM source (summed over seeds): throughput, request latency percentiles, and the GPU cost of 1,000 negatives at the configured price per GPU hour. Simulated rows come from the generation simulator, not a real GPU.</p>\n");
    daggerNote(
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
          .append(n4(g.ndcg10()))
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void hardness(StringBuilder b, Report r) {
    b.append("<h2>Negative hardness</h2>\n");
    if (r.hardness().isEmpty()) {
      b.append("<p>No <code>hardness.json</code> in the results.</p>\n");
      return;
    }
    b.append(
        "<p class=\"note\">Means over each source's negatives against its query's first positive (averaged over seeds): cosine similarity under the reference encoder to the query and to the positive; share of negatives closer to the query than the positive; BM25 score against the query relative to the positive's, and the share above it; cross-encoder score and share scored above the positive (likely false negatives) when a cross-encoder is configured; token Jaccard overlap with the positive; length in tokens.</p>\n");
    daggerNote(
        b,
        r.hardness().stream().map(h -> r.label(h.experiment(), h.dataset(), h.source())).toList());
    b.append(
        "<table>\n<tr><th class=\"l\">experiment</th><th class=\"l\">dataset</th><th class=\"l\">source</th><th>queries</th><th>negatives</th><th>cos(neg, query)</th><th>cos(neg, pos)</th><th>cos(pos, query)</th><th>closer than pos</th><th>BM25 / pos</th><th>BM25 above pos</th><th>CE score</th><th>CE above pos</th><th>Jaccard with pos</th><th>neg tokens</th><th>pos tokens</th></tr>\n");
    for (Report.HardnessRow h : r.hardness()) {
      HardnessSummary s = h.summary();
      b.append("<tr><td class=\"l\">")
          .append(Html.esc(h.experiment()))
          .append("</td><td class=\"l\">")
          .append(Html.esc(h.dataset()))
          .append("</td><td class=\"l\">")
          .append(Html.esc(r.label(h.experiment(), h.dataset(), h.source())))
          .append("</td><td>")
          .append(s.queries())
          .append("</td><td>")
          .append(s.negatives())
          .append("</td>");
      for (double v :
          new double[] {
            s.cosineToQuery(),
            s.cosineToPositive(),
            s.positiveCosineToQuery(),
            s.shareCloserThanPositive(),
            s.bm25Ratio(),
            s.shareBm25AbovePositive()
          }) {
        b.append("<td>").append(n4(v)).append("</td>");
      }
      b.append("<td>")
          .append(s.crossEncoderScore() == null ? "–" : n4(s.crossEncoderScore()))
          .append("</td><td>")
          .append(
              s.shareCrossEncoderAbovePositive() == null
                  ? "–"
                  : n4(s.shareCrossEncoderAbovePositive()))
          .append("</td><td>")
          .append(n4(s.jaccardWithPositive()))
          .append("</td><td>")
          .append(
              String.format(
                  Locale.ROOT, "%.1f</td><td>%.1f", s.negativeTokens(), s.positiveTokens()))
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void jmh(StringBuilder b, Report r) {
    b.append("<h2>Kernels (JMH)</h2>\n");
    if (r.jmh().isEmpty()) {
      b.append(
          "<p>No JMH results under <code>results/jmh/</code>: run <code>mvn jmh:run</code>.</p>\n");
      return;
    }
    b.append(
        "<p class=\"note\">Per benchmark class: the stage of the pipeline it times, that stage's throughput measured in the experiments (wall time from <code>cost.json</code> and the training reports, on the machine of the run), and the comparisons the kernel exists for: variant against baseline as a speed ratio (error: both scores' 99.9% errors propagated; – when JMH gave none, e.g. one fork of two iterations) and the share of the GEMM peak measured at the same grid point, each beside its target. Every raw JMH row is in the collapsed table below and in <code>jmh.csv</code>.</p>\n");
    TreeSet<String> classes = new TreeSet<>();
    r.jmh().forEach(f -> f.kernels().forEach(run -> classes.add(run.benchmarkClass())));
    for (String cls : classes) {
      JmhRatios.Stage stage = JmhRatios.STAGES.get(cls);
      b.append("<h3>")
          .append(Html.esc(cls))
          .append(stage == null ? "" : ": times " + Html.esc(stage.stage()))
          .append("</h3>\n");
      List<Report.StageRate> rates =
          r.stageRates().stream().filter(x -> x.benchmarkClass().equals(cls)).toList();
      if (stage != null) {
        b.append("<p class=\"note\">One operation: one ")
            .append(Html.esc(stage.operation()))
            .append(". ");
        if (rates.isEmpty()) {
          b.append("The experiments record no separate wall time for this stage.");
        }
        b.append("</p>\n");
      }
      if (!rates.isEmpty()) {
        b.append(
            "<table>\n<tr><th class=\"l\">stage in the experiment</th><th class=\"l\">experiment / dataset</th><th>items</th><th>seconds</th><th>throughput</th></tr>\n");
        for (Report.StageRate x : rates) {
          b.append("<tr><td class=\"l\">")
              .append(Html.esc(x.what()))
              .append("</td><td class=\"l\">")
              .append(Html.esc(x.experiment() + " / " + x.dataset()))
              .append("</td><td>")
              .append(String.format(Locale.ROOT, "%,.0f", x.items()))
              .append("</td><td>")
              .append(String.format(Locale.ROOT, "%,.1f", x.seconds()))
              .append("</td><td>")
              .append(
                  Double.isNaN(x.rate())
                      ? "–"
                      : String.format(Locale.ROOT, "%,.2f %s", x.rate(), Html.esc(x.unit())))
              .append("</td></tr>\n");
        }
        b.append("</table>\n");
      }
      boolean compared = false;
      for (JmhResults f : r.jmh()) {
        List<JmhRatios.Ratio> ratios =
            JmhRatios.ratios(f.kernels()).stream()
                .filter(x -> x.comparison().benchmarkClass().equals(cls))
                .toList();
        if (!ratios.isEmpty()) {
          compared = true;
          JmhRatios.Comparison c = ratios.get(0).comparison();
          b.append("<p class=\"note\"><code>")
              .append(Html.esc(f.file()))
              .append("</code>: ")
              .append(Html.esc(c.variant()))
              .append(" / ")
              .append(Html.esc(c.baseline()))
              .append(String.format(Locale.ROOT, ", target ≥ %.2f: ", c.target()))
              .append(Html.esc(c.why()))
              .append(".</p>\n");
          b.append("<table>\n<tr><th class=\"l\">params</th><th>")
              .append(Html.esc(c.variant()))
              .append(" ops/s</th><th>")
              .append(Html.esc(c.baseline()))
              .append(
                  " ops/s</th><th>ratio</th><th>target</th><th class=\"l\">verdict</th></tr>\n");
          for (JmhRatios.Ratio x : ratios) {
            b.append("<tr><td class=\"l\">")
                .append(Html.esc(x.variant().paramText()))
                .append("</td><td>")
                .append(scoreText(x.variant()))
                .append("</td><td>")
                .append(scoreText(x.baseline()))
                .append("</td><td>")
                .append(String.format(Locale.ROOT, "%.2f", x.ratio()))
                .append(
                    Double.isNaN(x.error()) ? "" : String.format(Locale.ROOT, " ± %.2f", x.error()))
                .append("</td><td>")
                .append(x.targetApplies() ? String.format(Locale.ROOT, "≥ %.2f", c.target()) : "–")
                .append("</td>")
                .append(verdict(x.targetApplies(), x.met()))
                .append("</tr>\n");
          }
          b.append("</table>\n");
        }
        List<JmhRatios.PairedRatio> paired =
            JmhRatios.pairedRatios(f.kernels()).stream()
                .filter(x -> x.pairing().benchmarkClass().equals(cls))
                .toList();
        if (!paired.isEmpty()) {
          compared = true;
          JmhRatios.Pairing pg = paired.get(0).pairing();
          b.append("<p class=\"note\"><code>")
              .append(Html.esc(f.file()))
              .append("</code>: ")
              .append(Html.esc(pg.method()))
              .append(", ")
              .append(Html.esc(pg.baselineSeconds()))
              .append(" / ")
              .append(Html.esc(pg.variantSeconds()))
              .append(
                  String.format(
                      Locale.ROOT,
                      " (seconds summed over forks and iterations), target ≥ %.2f: ",
                      pg.target()))
              .append(Html.esc(pg.why()))
              .append(".</p>\n");
          b.append("<table>\n<tr><th class=\"l\">params</th><th>")
              .append(Html.esc(pg.variantSeconds()))
              .append("</th><th>")
              .append(Html.esc(pg.baselineSeconds()))
              .append(
                  "</th><th>ratio</th><th>per fork</th><th>target</th><th class=\"l\">verdict</th></tr>\n");
          for (JmhRatios.PairedRatio x : paired) {
            b.append("<tr><td class=\"l\">")
                .append(Html.esc(x.run().paramText()))
                .append(
                    String.format(
                        Locale.ROOT,
                        "</td><td>%.2f</td><td>%.2f</td><td>%.3f</td><td>%.3f–%.3f</td><td>",
                        x.variantSeconds(),
                        x.baselineSeconds(),
                        x.ratio(),
                        x.lowestFork(),
                        x.highestFork()))
                .append(x.targetApplies() ? String.format(Locale.ROOT, "≥ %.2f", pg.target()) : "–")
                .append("</td>")
                .append(verdict(x.targetApplies(), x.met()))
                .append("</tr>\n");
          }
          b.append("</table>\n");
        }
        List<JmhRatios.Share> fileShares = JmhRatios.shares(f.kernels());
        for (JmhRatios.Efficiency e : JmhRatios.EFFICIENCIES) {
          List<JmhRatios.Share> shares =
              fileShares.stream()
                  .filter(x -> x.efficiency() == e && e.benchmarkClass().equals(cls))
                  .toList();
          if (shares.isEmpty()) {
            continue;
          }
          compared = true;
          b.append("<p class=\"note\"><code>")
              .append(Html.esc(f.file()))
              .append("</code>: achieved GFLOP/s against the GEMM peak (")
              .append(Html.esc(e.peakMethod()))
              .append(
                  String.format(
                      Locale.ROOT,
                      ") of the same grid point, target ≥ %.0f%% for ",
                      e.target() * 100))
              .append(Html.esc(e.why()))
              .append(".</p>\n");
          b.append(
              "<table>\n<tr><th class=\"l\">kernel</th><th class=\"l\">params</th><th>GFLOP/s</th><th>GEMM peak GFLOP/s</th><th>share</th><th>target</th><th class=\"l\">verdict</th></tr>\n");
          for (JmhRatios.Share x : shares) {
            b.append("<tr><td class=\"l\">")
                .append(Html.esc(x.kernel().method()))
                .append("</td><td class=\"l\">")
                .append(Html.esc(x.kernel().paramText()))
                .append(
                    String.format(
                        Locale.ROOT,
                        "</td><td>%.1f</td><td>%.1f</td><td>%.0f%%</td><td>",
                        x.kernel().flopRate() / 1e9,
                        x.peak().flopRate() / 1e9,
                        x.share() * 100))
                .append(
                    x.targetApplies()
                        ? String.format(Locale.ROOT, "≥ %.0f%%", e.target() * 100)
                        : "–")
                .append("</td>")
                .append(verdict(x.targetApplies(), x.met()))
                .append("</tr>\n");
          }
          b.append("</table>\n");
        }
      }
      if (!compared) {
        b.append(
            "<table>\n<tr><th class=\"l\">file</th><th class=\"l\">method</th><th class=\"l\">params</th><th>score</th><th class=\"l\">unit</th></tr>\n");
        for (JmhResults f : r.jmh()) {
          for (JmhResults.Kernel run : f.kernels()) {
            if (run.benchmarkClass().equals(cls)) {
              b.append("<tr><td class=\"l\">")
                  .append(Html.esc(f.file()))
                  .append("</td><td class=\"l\">")
                  .append(Html.esc(run.method()))
                  .append("</td><td class=\"l\">")
                  .append(Html.esc(run.paramText()))
                  .append("</td><td>")
                  .append(scoreText(run))
                  .append("</td><td class=\"l\">")
                  .append(Html.esc(run.unit()))
                  .append("</td></tr>\n");
            }
          }
        }
        b.append("</table>\n");
      }
    }
    int rows = r.jmh().stream().mapToInt(f -> f.kernels().size()).sum();
    b.append("<details><summary>All ").append(rows).append(" raw JMH rows</summary>\n");
    b.append(
        "<p class=\"note\">Scores with JMH's 99.9% confidence error; bars are scaled per benchmark method. Hardware is not recorded by JMH: see the README section of the run.</p>\n");
    for (JmhResults f : r.jmh()) {
      b.append("<h4>").append(Html.esc(f.file())).append("</h4>\n");
      TreeSet<String> envs = new TreeSet<>();
      f.kernels()
          .forEach(run -> envs.add(run.jvm() + "; JVM args: " + String.join(" ", run.jvmArgs())));
      for (String env : envs) {
        b.append("<p class=\"note\">").append(Html.esc(env)).append("</p>\n");
      }
      Map<String, Double> maxByBenchmark = new TreeMap<>();
      for (JmhResults.Kernel run : f.kernels()) {
        maxByBenchmark.merge(
            run.benchmark(),
            run.score() + (Double.isNaN(run.error()) ? 0 : run.error()),
            Math::max);
      }
      b.append(
          "<table>\n<tr><th class=\"l\">benchmark</th><th class=\"l\">params</th><th>mode</th><th>threads</th><th>forks</th><th>warmup</th><th>measurement</th><th>score</th><th>± error</th><th class=\"l\">unit</th><th class=\"l\">score</th></tr>\n");
      for (JmhResults.Kernel run : f.kernels()) {
        b.append("<tr><td class=\"l\">")
            .append(Html.esc(run.shortName()))
            .append("</td><td class=\"l\">")
            .append(Html.esc(run.paramText()))
            .append("</td><td>")
            .append(Html.esc(run.mode()))
            .append("</td><td>")
            .append(run.threads())
            .append("</td><td>")
            .append(run.forks())
            .append("</td><td>")
            .append(Html.esc(run.warmup()))
            .append("</td><td>")
            .append(Html.esc(run.measurement()))
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%,.3f", run.score()))
            .append("</td><td>")
            .append(
                Double.isNaN(run.error()) ? "–" : String.format(Locale.ROOT, "%,.3f", run.error()))
            .append("</td><td class=\"l\">")
            .append(Html.esc(run.unit()))
            .append("</td><td class=\"l\">")
            .append(Svg.errorBar(run.score(), run.error(), maxByBenchmark.get(run.benchmark())))
            .append("</td></tr>\n");
      }
      b.append("</table>\n");
    }
    b.append("</details>\n");
  }
}

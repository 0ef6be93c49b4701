package dev.negbench.report;

import dev.negbench.results.JmhRatios;
import dev.negbench.results.JmhResults;
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
    NdcgSection.append(b, r);
    SignificanceSection.append(b, r);
    CostSection.append(b, r);
    GeneratorSection.append(b, r);
    HardnessSection.append(b, r);
    jmh(b, r);
    b.append("</body>\n</html>\n");
    return b.toString();
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

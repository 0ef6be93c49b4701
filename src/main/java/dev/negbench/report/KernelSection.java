package dev.negbench.report;

import dev.negbench.results.JmhResults;
import dev.negbench.results.KernelStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The page's JMH section: per benchmark class, the pipeline stage it times and that stage's
 * throughput measured in the experiments, then the comparisons the kernel exists for ({@link
 * KernelComparisons}) or, where there are none, its rows ({@link JmhRows}); then every raw row.
 */
final class KernelSection {
  private KernelSection() {}

  static void append(StringBuilder b, Report r) {
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
      KernelStage stage = KernelStage.BY_CLASS.get(cls);
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
      // Every file's comparisons, then the rows of the files that compare none of this class's
      // kernels (an earlier grid of the class without the parameter a comparison needs).
      List<JmhResults> uncompared = new ArrayList<>();
      for (JmhResults f : r.jmh()) {
        if (!KernelComparisons.append(b, f, cls)
            && f.kernels().stream().anyMatch(k -> k.benchmarkClass().equals(cls))) {
          uncompared.add(f);
        }
      }
      if (!uncompared.isEmpty()) {
        JmhRows.appendClass(b, uncompared, cls);
      }
    }
    JmhRows.appendAll(b, r);
  }
}

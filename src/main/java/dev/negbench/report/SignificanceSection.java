package dev.negbench.report;

import dev.negbench.analysis.SourceComparisons;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The page's table of every pair of sources: per dataset and across each experiment's datasets, the
 * difference in nDCG@10 with its interval, p and Holm's p; the rows {@code significance.csv} holds.
 */
final class SignificanceSection {
  private SignificanceSection() {}

  static void append(StringBuilder b, Report r) {
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
    Html.daggerNote(b, names);
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
}

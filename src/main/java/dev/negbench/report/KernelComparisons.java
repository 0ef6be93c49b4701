package dev.negbench.report;

import dev.negbench.results.JmhRatios;
import dev.negbench.results.JmhResults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tables that compare a benchmark class's kernels in one JMH file, each result beside the
 * target the comparison exists for.
 */
final class KernelComparisons {
  private KernelComparisons() {}

  /**
   * Writes the comparisons of benchmark class {@code cls} in one JMH file: variant against baseline
   * ratios, ratios of seconds paired within forks, and shares of the GEMM peak, each table with its
   * target and verdict; whether there were any.
   */
  static boolean append(StringBuilder b, JmhResults f, String cls) {
    boolean ratios = ratios(b, f, cls);
    boolean paired = paired(b, f, cls);
    boolean shares = shares(b, f, cls);
    return ratios || paired || shares;
  }

  /** Variant against baseline as a ratio of scores (speeds), per grid point. */
  private static boolean ratios(StringBuilder b, JmhResults f, String cls) {
    List<JmhRatios.Ratio> ratios =
        JmhRatios.ratios(f.kernels()).stream()
            .filter(x -> x.comparison().benchmarkClass().equals(cls))
            .toList();
    if (ratios.isEmpty()) {
      return false;
    }
    // One table per comparison: a class may have several (int8 against float and against a peer).
    Map<JmhRatios.Comparison, List<JmhRatios.Ratio>> byComparison = new LinkedHashMap<>();
    for (JmhRatios.Ratio x : ratios) {
      byComparison.computeIfAbsent(x.comparison(), k -> new ArrayList<>()).add(x);
    }
    byComparison.forEach((c, rows) -> ratioTable(b, f, c, rows));
    return true;
  }

  private static void ratioTable(
      StringBuilder b, JmhResults f, JmhRatios.Comparison c, List<JmhRatios.Ratio> ratios) {
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
        .append(" ops/s</th><th>ratio</th><th>target</th><th class=\"l\">verdict</th></tr>\n");
    for (JmhRatios.Ratio x : ratios) {
      b.append("<tr><td class=\"l\">")
          .append(Html.esc(x.variant().paramText()))
          .append("</td><td>")
          .append(JmhRows.scoreText(x.variant()))
          .append("</td><td>")
          .append(JmhRows.scoreText(x.baseline()))
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.2f", x.ratio()))
          .append(Double.isNaN(x.error()) ? "" : String.format(Locale.ROOT, " ± %.2f", x.error()))
          .append("</td><td>")
          .append(x.targetApplies() ? String.format(Locale.ROOT, "≥ %.2f", c.target()) : "–")
          .append("</td>")
          .append(verdict(x.targetApplies(), x.met()))
          .append("</tr>\n");
    }
    b.append("</table>\n");
  }

  /** Baseline over variant seconds, both timed in the same forks, per grid point. */
  private static boolean paired(StringBuilder b, JmhResults f, String cls) {
    List<JmhRatios.PairedRatio> paired =
        JmhRatios.pairedRatios(f.kernels()).stream()
            .filter(x -> x.pairing().benchmarkClass().equals(cls))
            .toList();
    if (paired.isEmpty()) {
      return false;
    }
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
                " (seconds per iteration, mean over forks and iterations), target ≥ %.2f: ",
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
    return true;
  }

  /** Achieved GFLOP/s against the GEMM peak measured at the same grid point. */
  private static boolean shares(StringBuilder b, JmhResults f, String cls) {
    boolean any = false;
    List<JmhRatios.Share> fileShares = JmhRatios.shares(f.kernels());
    for (JmhRatios.Efficiency e : JmhRatios.EFFICIENCIES) {
      List<JmhRatios.Share> shares =
          fileShares.stream()
              .filter(x -> x.efficiency() == e && e.benchmarkClass().equals(cls))
              .toList();
      if (shares.isEmpty()) {
        continue;
      }
      any = true;
      b.append("<p class=\"note\"><code>")
          .append(Html.esc(f.file()))
          .append("</code>: achieved GFLOP/s against the GEMM peak (")
          .append(Html.esc(e.peakMethod()))
          .append(
              String.format(
                  Locale.ROOT, ") of the same grid point, target ≥ %.0f%% for ", e.target() * 100))
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
                    "</td><td>%.1f</td><td>%.1f</td><td%s>%.0f%%</td><td>",
                    x.kernel().flopRate() / 1e9,
                    x.peak().flopRate() / 1e9,
                    x.valid() ? "" : " class=\"neg\"",
                    x.share() * 100))
            .append(
                x.targetApplies() ? String.format(Locale.ROOT, "≥ %.0f%%", e.target() * 100) : "–")
            .append("</td>")
            .append(x.valid() ? verdict(x.targetApplies(), x.met()) : INVALID_SHARE)
            .append("</tr>\n");
      }
      b.append("</table>\n");
    }
    return any;
  }

  /**
   * A share over 100%: the kernel's own GEMMs cannot beat the peak, so the peak was mis-measured
   * and neither number is a result, whatever the target.
   */
  static final String INVALID_SHARE =
      "<td class=\"l neg\">invalid measurement: over 100% of the peak (mis-measured peak)</td>";

  private static String verdict(boolean applies, boolean met) {
    return !applies
        ? "<td class=\"l\">no target here</td>"
        : met ? "<td class=\"l sig\">met</td>" : "<td class=\"l neg\">missed</td>";
  }
}

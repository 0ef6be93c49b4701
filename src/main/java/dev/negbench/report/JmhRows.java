package dev.negbench.report;

import dev.negbench.results.JmhResults;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * JMH's own rows as tables: a benchmark class's rows in the files that compare none, and every row
 * of every file in the collapsed block that ends the page.
 */
final class JmhRows {
  private JmhRows() {}

  /** The rows of benchmark class {@code cls} in {@code files}, files that compare none of them. */
  static void appendClass(StringBuilder b, List<JmhResults> files, String cls) {
    b.append(
        "<table>\n<tr><th class=\"l\">file</th><th class=\"l\">method</th><th class=\"l\">params</th><th>score</th><th class=\"l\">unit</th></tr>\n");
    for (JmhResults f : files) {
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

  /** Every raw JMH row of every file, in a collapsed block, with a bar per score. */
  static void appendAll(StringBuilder b, Report r) {
    int rows = r.jmh().stream().mapToInt(f -> f.kernels().size()).sum();
    b.append("<details><summary>All ").append(rows).append(" raw JMH rows</summary>\n");
    b.append(
        "<p class=\"note\">Scores with JMH's 99.9% confidence error; bars are scaled per benchmark method. Hardware is not recorded by JMH: see the page under <code>docs/results/</code> that quotes the file.</p>\n");
    for (JmhResults f : r.jmh()) {
      b.append("<h4>").append(Html.esc(f.file())).append("</h4>\n");
      TreeSet<String> commits = new TreeSet<>();
      f.kernels().forEach(run -> commits.add(run.commit()));
      commits.remove("");
      b.append("<p class=\"note\">")
          .append(
              commits.isEmpty()
                  ? "Commit not recorded in the file (measured before runs recorded it): see results/jmh/README.md."
                  : "Measured at commit " + Html.esc(String.join(", ", commits)) + ".")
          .append("</p>\n");
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

  static String scoreText(JmhResults.Kernel run) {
    return String.format(Locale.ROOT, "%,.3f", run.score())
        + (Double.isNaN(run.error()) ? "" : String.format(Locale.ROOT, " ± %,.3f", run.error()));
  }
}

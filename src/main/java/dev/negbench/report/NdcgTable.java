package dev.negbench.report;

import dev.negbench.analysis.SourceComparisons;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The paper-shaped nDCG@10 table of one experiment: datasets as rows, sources as columns, an
 * average row over the datasets when there are several, the best of each row in bold and ▲/▼ where
 * a source differs from the {@link Report#BASELINE} at α = 0.05 after Holm's correction. The HTML
 * page and {@code ndcg10.tex} both render this one model, so their numbers agree.
 */
record NdcgTable(String experiment, List<String> sources, List<Row> rows) {
  /**
   * One cell: mean over seeds, sd, seeds, bold, -1 / 0 / +1 for ▼ / nothing / ▲, the test's
   * p-values, and the test-fixture models behind it (empty for real models; any marks the cell †).
   */
  record Cell(
      double mean,
      double sd,
      int seeds,
      boolean best,
      int mark,
      String title,
      List<String> fixtures) {
    boolean fixture() {
      return !fixtures.isEmpty();
    }
  }

  /** One row (a dataset, or the average); a null cell is a source not run on it. */
  record Row(String label, boolean average, boolean synthetic, int queries, List<Cell> cells) {}

  /** The label of the average row. */
  static final String AVERAGE = "Average";

  /** One table per experiment, in experiment order. */
  static List<NdcgTable> of(Report r) {
    Map<String, List<Report.DatasetRow>> byExperiment = new TreeMap<>();
    r.datasets()
        .forEach(d -> byExperiment.computeIfAbsent(d.experiment(), k -> new ArrayList<>()).add(d));
    List<NdcgTable> tables = new ArrayList<>();
    for (var exp : byExperiment.entrySet()) {
      Map<String, String> types = new LinkedHashMap<>();
      exp.getValue().forEach(d -> d.scores().forEach(s -> types.putIfAbsent(s.source(), s.type())));
      List<String> sources =
          types.entrySet().stream()
              .map(e -> new String[] {e.getKey(), e.getValue()})
              .sorted(Report.SOURCE_ORDER)
              .map(s -> s[0])
              .toList();
      List<Row> rows = new ArrayList<>();
      for (Report.DatasetRow d : exp.getValue()) {
        List<Cell> cells = new ArrayList<>();
        for (String s : sources) {
          Report.Score sc = d.score(s);
          cells.add(
              sc == null
                  ? null
                  : new Cell(
                      sc.mean(),
                      sc.sd(),
                      sc.seeds(),
                      sc.best(),
                      sc.significant() ? (sc.direction() >= 0 ? 1 : -1) : 0,
                      sc.p() == null
                          ? null
                          : String.format(
                              Locale.ROOT, "p = %.4f, Holm p = %.4f", sc.p(), sc.pHolm()),
                      r.fixtureModels(exp.getKey(), d.dataset(), s)));
        }
        rows.add(new Row(d.dataset(), false, d.synthetic(), d.queries(), cells));
      }
      if (exp.getValue().size() > 1) {
        rows.add(average(exp.getKey(), exp.getValue(), sources, r));
      }
      tables.add(new NdcgTable(exp.getKey(), sources, rows));
    }
    return tables;
  }

  /**
   * Mean over the datasets each source has; marks from the across-datasets Wilcoxon test against
   * the baseline.
   */
  private static Row average(
      String experiment, List<Report.DatasetRow> datasets, List<String> sources, Report r) {
    List<SourceComparisons.Comparison> across =
        r.across().stream()
            .filter(a -> a.experiment().equals(experiment))
            .flatMap(a -> a.comparisons().stream())
            .toList();
    double[] means = new double[sources.size()];
    int[] counts = new int[sources.size()];
    // The best real source is bold; a column a test fixture made counts only when all did.
    List<Boolean> fixture =
        sources.stream().map(s -> !r.fixtureModels(experiment, null, s).isEmpty()).toList();
    boolean allFixtures = !fixture.contains(false);
    double best = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < sources.size(); j++) {
      double sum = 0;
      for (Report.DatasetRow d : datasets) {
        Report.Score sc = d.score(sources.get(j));
        if (sc != null) {
          sum += sc.mean();
          counts[j]++;
        }
      }
      means[j] = counts[j] == 0 ? Double.NaN : sum / counts[j];
      if (counts[j] > 0 && (allFixtures || !fixture.get(j))) {
        best = Math.max(best, Report.round4(means[j]));
      }
    }
    int base = sources.indexOf(Report.BASELINE);
    List<Cell> cells = new ArrayList<>();
    for (int j = 0; j < sources.size(); j++) {
      if (counts[j] == 0) {
        cells.add(null);
        continue;
      }
      int mark = 0;
      String title = null;
      SourceComparisons.Comparison c =
          j == base || base < 0
              ? null
              : SignificanceTests.pair(across, sources.get(j), Report.BASELINE);
      if (c != null) {
        title =
            String.format(
                Locale.ROOT,
                "Wilcoxon over %d datasets: p = %.4f, Holm p = %.4f",
                c.units(),
                c.p(),
                c.pHolm());
        if (c.pHolm() < Report.ALPHA) {
          mark = Report.round4(means[j]) >= Report.round4(means[base]) ? 1 : -1;
        }
      }
      boolean isBest = Report.round4(means[j]) == best && (allFixtures || !fixture.get(j));
      cells.add(
          new Cell(
              means[j],
              Double.NaN,
              counts[j],
              isBest,
              mark,
              title,
              r.fixtureModels(experiment, null, sources.get(j))));
    }
    return new Row(AVERAGE, true, false, 0, cells);
  }

  /** The tables as LaTeX (booktabs), one tabular per experiment, numbers as the page shows them. */
  static String latex(List<NdcgTable> tables) {
    StringBuilder b = new StringBuilder();
    b.append(
            "% nDCG@10 mean over seeds; best per row in bold (\\dag sources count only when all are); \\textsuperscript{\\ensuremath{\\blacktriangle}/\\ensuremath{\\blacktriangledown}}:\n")
        .append("% differs from ")
        .append(Report.BASELINE)
        .append(
            " at alpha = 0.05 (randomization test over queries and seeds, Holm over all pairs of the dataset;\n")
        .append(
            "% average row: Wilcoxon over datasets). \\dag: made with a TEST FIXTURE, a tiny random-weight model; its numbers test the machinery, not the source.\n")
        .append("% Needs \\usepackage{booktabs} and \\usepackage{amssymb}.\n")
        .append("% Written by negbench report from results/; do not edit.\n");
    for (NdcgTable t : tables) {
      b.append("\n% experiment: ").append(tex(t.experiment())).append('\n');
      for (Row row : t.rows()) {
        for (int j = 0; j < row.cells().size(); j++) {
          Cell c = row.cells().get(j);
          if (!row.average() && c != null && c.fixture()) {
            b.append("% \\dag ")
                .append(tex(row.label()))
                .append(" / ")
                .append(tex(t.sources().get(j)))
                .append(": ")
                .append(tex(String.join(", ", c.fixtures())))
                .append('\n');
          }
        }
      }
      b.append("\\begin{tabular}{l")
          .append("r".repeat(t.sources().size()))
          .append("}\n\\toprule\n");
      b.append("Dataset");
      t.sources().forEach(s -> b.append(" & ").append(tex(s)));
      b.append(" \\\\\n\\midrule\n");
      for (Row row : t.rows()) {
        if (row.average()) {
          b.append("\\midrule\n");
        }
        b.append(tex(row.label()));
        for (Cell c : row.cells()) {
          b.append(" & ");
          if (c == null) {
            b.append("--");
            continue;
          }
          String v = String.format(Locale.ROOT, "%.4f", c.mean());
          b.append(c.best() ? "\\textbf{" + v + "}" : v);
          if (c.mark() != 0) {
            b.append(
                c.mark() > 0
                    ? "\\textsuperscript{\\ensuremath{\\blacktriangle}}"
                    : "\\textsuperscript{\\ensuremath{\\blacktriangledown}}");
          }
          if (c.fixture()) {
            b.append("\\textsuperscript{\\dag}");
          }
        }
        b.append(" \\\\\n");
      }
      b.append("\\bottomrule\n\\end{tabular}\n");
    }
    return b.toString();
  }

  /** Escapes LaTeX's special characters in a name. */
  static String tex(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> b.append("\\textbackslash{}");
        case '&', '%', '$', '#', '_', '{', '}' -> b.append('\\').append(c);
        case '~' -> b.append("\\textasciitilde{}");
        case '^' -> b.append("\\textasciicircum{}");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}

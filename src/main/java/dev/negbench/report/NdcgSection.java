package dev.negbench.report;

import dev.negbench.results.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The page's nDCG@10 section: per experiment, the {@link NdcgTable} with the published numbers
 * beside it, the note naming any test-fixture results, and the dot-and-whisker chart of each
 * source's mean with its 95% interval; then where the published numbers come from.
 */
final class NdcgSection {
  private NdcgSection() {}

  static void append(StringBuilder b, Report r) {
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
              .append(Html.n4(c.mean()))
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
              v = Html.n4(ref.value());
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
}

package dev.negbench.report;

import dev.negbench.results.HardnessSummary;
import java.util.Locale;

/** The page's negative-hardness table: how close each source's negatives come to the positive. */
final class HardnessSection {
  private HardnessSection() {}

  static void append(StringBuilder b, Report r) {
    b.append("<h2>Negative hardness</h2>\n");
    if (r.hardness().isEmpty()) {
      b.append("<p>No <code>hardness.json</code> in the results.</p>\n");
      return;
    }
    b.append(
        "<p class=\"note\">Means over each source's negatives against its query's first positive (averaged over seeds): cosine similarity under the reference encoder to the query and to the positive; share of negatives closer to the query than the positive; BM25 score against the query relative to the positive's, and the share above it; cross-encoder score and share scored above the positive (likely false negatives) when a cross-encoder is configured; token Jaccard overlap with the positive; length in tokens.</p>\n");
    Html.daggerNote(
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
        b.append("<td>").append(Html.n4(v)).append("</td>");
      }
      b.append("<td>")
          .append(s.crossEncoderScore() == null ? "–" : Html.n4(s.crossEncoderScore()))
          .append("</td><td>")
          .append(
              s.shareCrossEncoderAbovePositive() == null
                  ? "–"
                  : Html.n4(s.shareCrossEncoderAbovePositive()))
          .append("</td><td>")
          .append(Html.n4(s.jaccardWithPositive()))
          .append("</td><td>")
          .append(
              String.format(
                  Locale.ROOT, "%.1f</td><td>%.1f", s.negativeTokens(), s.positiveTokens()))
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }
}

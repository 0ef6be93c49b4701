package dev.negbench.report;

import dev.negbench.results.NegativesCost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page's cost section, retrieve or generate: what each source's negatives cost (wall time,
 * devices, work, US$ per 1,000 negatives) beside the nDCG@10 they bought, and the scatter of the
 * two.
 */
final class CostSection {
  private CostSection() {}

  static void append(StringBuilder b, Report r) {
    b.append("<h2>Retrieve or generate: what each source's negatives cost</h2>\n");
    if (r.costs().isEmpty()) {
      b.append("<p>No negative sources in the results.</p>\n");
      return;
    }
    b.append(
        "<p class=\"note\">Per source and dataset: the wall time of making its negatives, with what they needed first (the BM25 index, the corpus encoded for dense mining: their build time, charged to every source that uses them; a <code>ce</code> source's cross-encoder trained in the experiment: each training round's seconds), summed over its distinct negatives stages (a seed-independent source mines once for all seeds); priced at the experiment's price of a CPU hour (<code>cpu_hour_usd</code>, default US$ 0.085, a 2-vCPU cloud machine) or of its GPUs (<code>gpu_prices</code>). Simulated generation is priced as if its GPU had run it. Training and evaluating the retriever are not included: they cost the same for every source. Also in <code>cost.csv</code>.</p>\n");
    Html.daggerNote(
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
          .append(Html.n4(c.ndcg10()))
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
}

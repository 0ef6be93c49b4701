package dev.negbench.report;

import static dev.negbench.report.Report.round4;

import dev.negbench.results.HardnessSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The hardness table's rows: each source's negative hardness, averaged over its seeds. */
final class HardnessRows {
  private HardnessRows() {}

  /** One row per source folder with a {@code hardness.json}, in folder order. */
  static List<Report.HardnessRow> of(List<SourceFolder> folders) {
    List<Report.HardnessRow> out = new ArrayList<>();
    for (SourceFolder f : folders) {
      List<HardnessSummary> h =
          f.seeds().stream().map(SourceFolder.Seed::hardness).filter(Objects::nonNull).toList();
      if (!h.isEmpty()) {
        out.add(
            new Report.HardnessRow(
                f.experiment(), f.dataset(), f.source(), average(f.source(), h)));
      }
    }
    return out;
  }

  /**
   * The seeds' hardness as one: each mean averaged and rounded to 4 decimals, negatives averaged,
   * queries the most any seed had; the cross-encoder columns only when every seed has them.
   */
  static HardnessSummary average(String source, List<HardnessSummary> h) {
    int n = h.size();
    double[] s = new double[12];
    long negatives = 0;
    int queries = 0;
    boolean ce = h.stream().allMatch(x -> x.crossEncoderScore() != null);
    for (HardnessSummary x : h) {
      negatives += x.negatives();
      queries = Math.max(queries, x.queries());
      double[] v = {
        x.cosineToQuery(),
        x.cosineToPositive(),
        x.positiveCosineToQuery(),
        x.shareCloserThanPositive(),
        x.bm25Ratio(),
        x.shareBm25AbovePositive(),
        ce ? x.crossEncoderScore() : 0,
        ce ? x.shareCrossEncoderAbovePositive() : 0,
        x.jaccardWithPositive(),
        x.negativeTokens(),
        x.positiveTokens(),
        0
      };
      for (int i = 0; i < v.length; i++) {
        s[i] += v[i] / n;
      }
    }
    return new HardnessSummary(
        source,
        queries,
        negatives / n,
        round4(s[0]),
        round4(s[1]),
        round4(s[2]),
        round4(s[3]),
        round4(s[4]),
        round4(s[5]),
        ce ? round4(s[6]) : null,
        ce ? round4(s[7]) : null,
        round4(s[8]),
        round4(s[9]),
        round4(s[10]));
  }
}

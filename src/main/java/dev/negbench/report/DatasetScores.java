package dev.negbench.report;

import static dev.negbench.report.Report.BASELINE;
import static dev.negbench.report.Report.round4;

import dev.negbench.analysis.Significance;
import dev.negbench.analysis.SourceComparisons.Comparison;
import dev.negbench.report.DatasetResults.SourceSeeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One dataset's scores: per source, nDCG@10's mean and sd over seeds, the bootstrap interval of the
 * mean, the test against {@link Report#BASELINE} and which source is best; and the mean of every
 * metric per source, for {@code metrics.csv}.
 */
final class DatasetScores {
  private DatasetScores() {}

  /**
   * The dataset's row of the nDCG@10 table; the best (bold) is the best real source: one a test
   * fixture made is not, unless every source is one.
   */
  static Report.DatasetRow of(DatasetResults d, FixtureModels fixtures) {
    String exp = d.experiment();
    String ds = d.dataset();
    List<SourceSeeds> sources = d.sources();
    Map<String, double[][]> perQuery = SignificanceTests.perQuery(sources);
    List<Comparison> comparisons = SignificanceTests.withinDataset(perQuery);
    boolean allFixtures = sources.stream().allMatch(s -> fixtures.made(exp, ds, s.source()));
    double best = Double.NEGATIVE_INFINITY;
    List<Significance.MeanSd> stats = new ArrayList<>();
    for (SourceSeeds s : sources) {
      var ms =
          Significance.MeanSd.of(
              s.seeds().stream().mapToDouble(c -> c.metric(Report.NDCG10)).toArray());
      stats.add(ms);
      if (allFixtures || !fixtures.made(exp, ds, s.source())) {
        best = Math.max(best, round4(ms.mean()));
      }
    }
    double baseMean = Double.NaN;
    for (int i = 0; i < sources.size(); i++) {
      if (sources.get(i).source().equals(BASELINE)) {
        baseMean = stats.get(i).mean();
      }
    }
    List<Report.Score> scores = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      SourceSeeds s = sources.get(i);
      var ms = stats.get(i);
      String name = s.source();
      int direction =
          Double.isNaN(baseMean) || name.equals(BASELINE)
              ? 0
              : Double.compare(round4(ms.mean()), round4(baseMean));
      Comparison vsBase =
          name.equals(BASELINE) ? null : SignificanceTests.pair(comparisons, name, BASELINE);
      Significance.Interval ci = SignificanceTests.meanInterval(perQuery.get(name));
      scores.add(
          new Report.Score(
              name,
              s.type(),
              ms.mean(),
              ms.sd(),
              ms.n(),
              ci.low(),
              ci.high(),
              vsBase == null ? null : vsBase.p(),
              vsBase == null ? null : vsBase.pHolm(),
              direction,
              round4(ms.mean()) == best && (allFixtures || !fixtures.made(exp, ds, name))));
    }
    var first = sources.get(0).seeds().get(0);
    return new Report.DatasetRow(
        exp, ds, first.synthetic(), first.queryIds().size(), scores, comparisons);
  }

  /** Every metric's mean and sd over seeds, per source in report order, metrics as recorded. */
  static List<Report.MetricRow> metricMeans(DatasetResults d) {
    List<Report.MetricRow> out = new ArrayList<>();
    for (SourceSeeds s : d.sources()) {
      for (String m : s.seeds().get(0).metrics().keySet()) {
        var ms = Significance.MeanSd.of(s.seeds().stream().mapToDouble(c -> c.metric(m)).toArray());
        out.add(
            new Report.MetricRow(
                d.experiment(), d.dataset(), s.source(), m, ms.mean(), ms.sd(), ms.n()));
      }
    }
    return out;
  }
}

package dev.negbench.report;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every source's nDCG@10 score on every dataset, found by experiment, dataset and source: how the
 * tables read from source folders (cost, generators) set what a source's negatives bought.
 */
final class SourceScores {
  private final Map<String, Report.Score> byKey;

  private SourceScores(Map<String, Report.Score> byKey) {
    this.byKey = byKey;
  }

  static SourceScores of(List<Report.DatasetRow> rows) {
    Map<String, Report.Score> byKey = new HashMap<>();
    rows.forEach(
        d -> d.scores().forEach(s -> byKey.put(key(d.experiment(), d.dataset(), s.source()), s)));
    return new SourceScores(byKey);
  }

  /** The source's mean nDCG@10 over seeds; NaN when it has no result on the dataset. */
  double ndcg10(String experiment, String dataset, String source) {
    Report.Score s = byKey.get(key(experiment, dataset, source));
    return s == null ? Double.NaN : s.mean();
  }

  /** The sd of the source's nDCG@10 over seeds; NaN when it has no result on the dataset. */
  double ndcg10Sd(String experiment, String dataset, String source) {
    Report.Score s = byKey.get(key(experiment, dataset, source));
    return s == null ? Double.NaN : s.sd();
  }

  /** The source's type; empty when it has no result on the dataset. */
  String type(String experiment, String dataset, String source) {
    Report.Score s = byKey.get(key(experiment, dataset, source));
    return s == null ? "" : s.type();
  }

  private static String key(String experiment, String dataset, String source) {
    return experiment + "/" + dataset + "/" + source;
  }
}

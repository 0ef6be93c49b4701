package dev.negbench.eval;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metric values for every query of the qrels, in qrels file order, and their means. Queries the run
 * has no hits for are present with 0 for every metric (trec_eval {@code -c}).
 */
public final class EvaluationResult {
  private final List<Metric> metrics;
  private final List<String> queryIds;
  private final Map<String, Integer> queryIndex;
  private final Map<Metric, Integer> metricIndex;
  private final double[][] values; // [metric][query]
  private final double[] means;

  EvaluationResult(List<Metric> metrics, List<String> queryIds, double[][] values) {
    this.metrics = List.copyOf(metrics);
    this.queryIds = List.copyOf(queryIds);
    this.values = values;
    this.queryIndex = new HashMap<>(queryIds.size() * 2);
    for (int q = 0; q < queryIds.size(); q++) {
      queryIndex.put(queryIds.get(q), q);
    }
    this.metricIndex = new HashMap<>();
    this.means = new double[metrics.size()];
    for (int m = 0; m < metrics.size(); m++) {
      metricIndex.put(metrics.get(m), m);
      double sum = 0;
      for (double v : values[m]) {
        sum += v;
      }
      // The arithmetic mean over all qrels queries, as trec_eval -c prints on its "all" lines.
      means[m] = sum / queryIds.size();
    }
  }

  /** The metrics in the order they were requested. */
  public List<Metric> metrics() {
    return metrics;
  }

  /** Every query of the qrels, in qrels file order; the mean is taken over all of them. */
  public List<String> queryIds() {
    return queryIds;
  }

  public int queryCount() {
    return queryIds.size();
  }

  /** The arithmetic mean of {@code metric} over {@link #queryIds()}. */
  public double mean(Metric metric) {
    return means[indexOf(metric)];
  }

  /** Means by metric, in requested order. */
  public Map<Metric, Double> means() {
    Map<Metric, Double> byMetric = new LinkedHashMap<>();
    for (int m = 0; m < metrics.size(); m++) {
      byMetric.put(metrics.get(m), means[m]);
    }
    return byMetric;
  }

  /**
   * The value of {@code metric} for one query.
   *
   * @throws IllegalArgumentException when the query is not in the qrels or the metric was not
   *     requested
   */
  public double value(Metric metric, String queryId) {
    Integer q = queryIndex.get(queryId);
    if (q == null) {
      throw new IllegalArgumentException("query '" + queryId + "' is not in the qrels");
    }
    return values[indexOf(metric)][q];
  }

  /** Value by position: metric index into {@link #metrics()}, query index into queryIds(). */
  double value(int metric, int query) {
    return values[metric][query];
  }

  double mean(int metric) {
    return means[metric];
  }

  private int indexOf(Metric metric) {
    Integer m = metricIndex.get(metric);
    if (m == null) {
      throw new IllegalArgumentException(
          "metric " + metric + " was not evaluated; evaluated: " + metrics);
    }
    return m;
  }
}

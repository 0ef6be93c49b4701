package dev.negbench.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A retrieval metric as requested by name: a {@link Measure} and a rank cutoff, e.g. {@code
 * ndcg@10}. Names are case-insensitive ({@code NDCG@10}, as BEIR prints it, is the same metric);
 * {@link #name()} gives the canonical lower-case spelling used in every output format.
 *
 * <p>Each metric reproduces one trec_eval measure (run as {@code trec_eval -c}):
 *
 * <table>
 *   <caption>negbench names and their trec_eval measures</caption>
 *   <tr><th>name</th><th>trec_eval</th></tr>
 *   <tr><td>{@code ndcg@K}</td><td>{@code ndcg_cut.K}</td></tr>
 *   <tr><td>{@code ndcg}</td><td>{@code ndcg} (whole ranking, default gains)</td></tr>
 *   <tr><td>{@code recall@K}</td><td>{@code recall.K}</td></tr>
 *   <tr><td>{@code recall}</td><td>{@code set_recall} (whole ranking)</td></tr>
 *   <tr><td>{@code mrr@K}</td><td>none: {@code recip_rank} counting only the top K</td></tr>
 *   <tr><td>{@code mrr}</td><td>{@code recip_rank}</td></tr>
 *   <tr><td>{@code map@K}</td><td>{@code map_cut.K}</td></tr>
 *   <tr><td>{@code map}</td><td>{@code map}</td></tr>
 *   <tr><td>{@code precision@K}, {@code p@K}</td><td>{@code P.K}</td></tr>
 *   <tr><td>{@code success@K}</td><td>{@code success.K}</td></tr>
 * </table>
 *
 * @param measure what is measured
 * @param cutoff the rank cutoff K, or {@link #WHOLE_RANKING} for none
 */
public record Metric(Measure measure, int cutoff) {
  /** The {@link #cutoff()} of a metric over the whole ranking, such as plain {@code map}. */
  public static final int WHOLE_RANKING = 0;

  /** What a metric measures; see {@link Metric} for the trec_eval measure behind each. */
  public enum Measure {
    NDCG("ndcg", true),
    RECALL("recall", true),
    MRR("mrr", true),
    MAP("map", true),
    // P and success without a cutoff would be trec_eval's set_P and a constant 1 for any run that
    // retrieves a relevant document: neither is what someone typing "precision" expects.
    PRECISION("precision", false),
    SUCCESS("success", false);

    private final String label;
    private final boolean wholeRankingAllowed;

    Measure(String label, boolean wholeRankingAllowed) {
      this.label = label;
      this.wholeRankingAllowed = wholeRankingAllowed;
    }

    /** The lower-case name, as in {@code ndcg@10}. */
    public String label() {
      return label;
    }
  }

  private static final String VALID_NAMES =
      "ndcg@K, recall@K, mrr@K, map@K, precision@K (or p@K), success@K with K a positive integer,"
          + " or ndcg, recall, mrr, map for the whole ranking";

  public Metric {
    if (measure == null) {
      throw new IllegalArgumentException("measure is null");
    }
    if (cutoff < 0) {
      throw new IllegalArgumentException("cutoff must be positive, was " + cutoff);
    }
    if (cutoff == WHOLE_RANKING && !measure.wholeRankingAllowed) {
      throw new IllegalArgumentException(
          measure.label + " needs a cutoff, as in " + measure.label + "@10");
    }
  }

  /** A metric with a cutoff, e.g. {@code Metric.at(Measure.NDCG, 10)}. */
  public static Metric at(Measure measure, int cutoff) {
    if (cutoff <= 0) {
      throw new IllegalArgumentException("cutoff must be positive, was " + cutoff);
    }
    return new Metric(measure, cutoff);
  }

  /**
   * Parses a name such as {@code ndcg@10}, {@code Recall@100}, {@code P@10} or {@code map}.
   *
   * @throws IllegalArgumentException naming the valid metrics when {@code name} is not one
   */
  public static Metric parse(String name) {
    if (name == null) {
      throw new IllegalArgumentException("metric name is null; expected one of " + VALID_NAMES);
    }
    String text = name.strip().toLowerCase(Locale.ROOT);
    int at = text.indexOf('@');
    String label = at < 0 ? text : text.substring(0, at);
    Measure measure = label.equals("p") ? Measure.PRECISION : measureOf(label);
    if (measure == null) {
      throw unknown(name);
    }
    if (at < 0) {
      if (!measure.wholeRankingAllowed) {
        throw new IllegalArgumentException(
            "metric '"
                + name
                + "' needs a cutoff, as in "
                + measure.label
                + "@10; expected one of "
                + VALID_NAMES);
      }
      return new Metric(measure, WHOLE_RANKING);
    }
    String digits = text.substring(at + 1);
    // At most 9 digits keeps K an int; no run has a billion hits per query.
    if (digits.isEmpty()
        || digits.length() > 9
        || !digits.chars().allMatch(Character::isDigit)
        || Integer.parseInt(digits) == 0) {
      throw new IllegalArgumentException(
          "metric '"
              + name
              + "' has cutoff '"
              + digits
              + "', expected a positive integer; valid"
              + " metrics: "
              + VALID_NAMES);
    }
    return new Metric(measure, Integer.parseInt(digits));
  }

  /** Parses several names, keeping their order; a metric named twice is an error. */
  public static List<Metric> parseAll(List<String> names) {
    List<Metric> metrics = names.stream().map(Metric::parse).toList();
    requireDistinct(metrics);
    return metrics;
  }

  static void requireDistinct(List<Metric> metrics) {
    Set<Metric> seen = new HashSet<>();
    for (Metric m : metrics) {
      if (!seen.add(m)) {
        throw new IllegalArgumentException("metric " + m.name() + " is requested twice");
      }
    }
  }

  /** The canonical name, e.g. {@code ndcg@10} or {@code map}. */
  public String name() {
    return cutoff == WHOLE_RANKING ? measure.label : measure.label + "@" + cutoff;
  }

  /** Whether only the top {@link #cutoff()} hits count. */
  public boolean hasCutoff() {
    return cutoff != WHOLE_RANKING;
  }

  @Override
  public String toString() {
    return name();
  }

  private static Measure measureOf(String label) {
    for (Measure m : Measure.values()) {
      if (m.label.equals(label)) {
        return m;
      }
    }
    return null;
  }

  private static IllegalArgumentException unknown(String name) {
    return new IllegalArgumentException(
        "unknown metric '" + name + "'; expected one of " + VALID_NAMES);
  }
}

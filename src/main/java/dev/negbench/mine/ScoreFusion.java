package dev.negbench.mine;

import java.util.Locale;

/**
 * Fusion of a reranker's scores with the first-stage run's scores of the same hits (issue 31): per
 * query, each list min-max normalised over the reranked hits, then {@code weight x reranker + (1 -
 * weight) x first stage}. This is what {@code results/baselines/scifact-ce-rerank/fuse.py}
 * measured, except that a constant list normalises to 0 here (fuse.py divides by {@code max - min +
 * 1e-9}): it carries no ranking signal, so it adds nothing.
 *
 * <p>The first stage is whatever run is reranked: BM25's with {@code bm25-search}, a dense
 * retriever's with {@code dense-search}. Hence the option names it {@code run}, not a model.
 *
 * @param weight the weight on the reranker, in [0, 1]: 1 is the reranker alone, 0 the first stage
 */
public record ScoreFusion(double weight) {
  /** The {@code --fuse} value's prefix: the scores of the run being reranked. */
  public static final String FIRST_STAGE = "run";

  public ScoreFusion {
    if (!(weight >= 0 && weight <= 1)) {
      throw new IllegalArgumentException(
          "the fusion weight must be between 0 and 1, was " + weight);
    }
  }

  /**
   * Parses {@code run:W}, W the weight on the reranker in [0, 1].
   *
   * @throws IllegalArgumentException naming the value and what was expected
   */
  public static ScoreFusion parse(String spec) {
    return parse(spec, FIRST_STAGE, "the --run's scores");
  }

  /**
   * Parses {@code STAGE:W}, W the weight on the cross-encoder in [0, 1].
   *
   * @param stage what the first stage is called in the option, e.g. {@code bm25} for {@code
   *     mine-ce}, whose candidates are BM25's
   * @param firstStage what the rest of the weight is on, for the error message
   * @throws IllegalArgumentException naming the value and what was expected
   */
  public static ScoreFusion parse(String spec, String stage, String firstStage) {
    String expected =
        "expected --fuse "
            + stage
            + ":W, W in [0, 1] the weight on the cross-encoder (1 - W on "
            + firstStage
            + "), e.g. "
            + stage
            + ":0.7";
    int colon = spec.indexOf(':');
    if (colon < 0 || !spec.substring(0, colon).equals(stage)) {
      throw new IllegalArgumentException(
          "--fuse '"
              + spec
              + "': "
              + expected
              + (stage.equals(FIRST_STAGE)
                  ? " (the first stage is the run being reranked, whatever made it)"
                  : ""));
    }
    double w;
    try {
      w = Double.parseDouble(spec.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--fuse '" + spec + "': " + expected);
    }
    if (!(w >= 0 && w <= 1)) {
      throw new IllegalArgumentException(
          "--fuse '" + spec + "': the weight " + w + " is outside [0, 1]; " + expected);
    }
    return new ScoreFusion(w);
  }

  /**
   * The fused scores of one query's hits: {@code reranker[i]} and {@code firstStage[i]} score the
   * same hit.
   */
  public double[] fuse(double[] reranker, double[] firstStage) {
    if (reranker.length != firstStage.length) {
      throw new IllegalArgumentException(
          "fusing " + reranker.length + " reranker scores with " + firstStage.length);
    }
    double[] r = minMax(reranker);
    double[] f = minMax(firstStage);
    double[] out = new double[r.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = weight * r[i] + (1 - weight) * f[i];
    }
    return out;
  }

  /** (x - min) / (max - min) over the list; all 0 when max == min. */
  static double[] minMax(double[] xs) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double x : xs) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    double range = max - min;
    double[] out = new double[xs.length];
    if (range > 0) {
      for (int i = 0; i < xs.length; i++) {
        out[i] = (xs[i] - min) / range;
      }
    }
    return out;
  }

  /** How the run tag and log name it: {@code run:0.7}. */
  public String describe() {
    return String.format(Locale.ROOT, "%s:%s", FIRST_STAGE, weight);
  }
}

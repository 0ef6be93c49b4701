package dev.negbench.train;

import java.util.Locale;

/**
 * Fine-tuning settings. Defaults follow sentence-transformers' MNRL recipes for DistilBERT-sized
 * bi-encoders: learning rate 2e-5 with 10% linear warmup then linear decay, AdamW weight decay
 * 0.01, gradient norm clipped at 1, scale 20 (cosine similarities times 20), queries cut at 64
 * tokens and passages at 256.
 *
 * @param negativesPerQuery hard negatives per training example (the rest of a query's negatives
 *     serve its other positives, or are left out)
 * @param device "cpu" or "cuda"
 */
public record TrainingSettings(
    int epochs,
    int batchSize,
    double learningRate,
    double weightDecay,
    double warmupRatio,
    double maxGradNorm,
    int maxQueryLength,
    int maxDocLength,
    int negativesPerQuery,
    double scale,
    long seed,
    String device) {

  public static TrainingSettings defaults() {
    return new TrainingSettings(1, 32, 2e-5, 0.01, 0.1, 1.0, 64, 256, 1, 20, 42, "cpu");
  }

  /** Throws an {@link IllegalArgumentException} (the CLI's exit 2) naming the first bad setting. */
  public TrainingSettings validate() {
    check(epochs >= 1, "epochs must be at least 1, was " + epochs);
    check(
        batchSize >= 2,
        "batch size must be at least 2 (in-batch negatives need other queries), was " + batchSize);
    check(
        learningRate > 0 && Double.isFinite(learningRate),
        "learning rate must be positive, was " + learningRate);
    check(weightDecay >= 0, "weight decay must not be negative, was " + weightDecay);
    check(
        warmupRatio >= 0 && warmupRatio <= 1, "warmup ratio must be in [0, 1], was " + warmupRatio);
    check(maxQueryLength >= 2 && maxDocLength >= 2, "max lengths must be at least 2 tokens");
    check(
        negativesPerQuery >= 0,
        "negatives per query must not be negative, was " + negativesPerQuery);
    check(scale > 0, "scale must be positive, was " + scale);
    return this;
  }

  /** The settings as recorded in checkpoints: a resumed run must match them exactly. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "epochs=%d batch=%d lr=%s wd=%s warmup=%s clip=%s qlen=%d dlen=%d negs=%d scale=%s seed=%d",
        epochs,
        batchSize,
        learningRate,
        weightDecay,
        warmupRatio,
        maxGradNorm,
        maxQueryLength,
        maxDocLength,
        negativesPerQuery,
        scale,
        seed);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}

package dev.negbench.train;

/**
 * Linear warmup from 0 to the peak learning rate, then linear decay to 0 at the last step
 * (transformers' {@code get_linear_schedule_with_warmup}).
 */
record LearningRateSchedule(double peak, long total, long warmup) {
  /** {@code settings}' rate and warmup ratio over {@code total} steps. */
  static LearningRateSchedule of(TrainingSettings settings, long total) {
    return new LearningRateSchedule(
        settings.learningRate(), total, (long) Math.ceil(total * settings.warmupRatio()));
  }

  /** The rate of step {@code step} (0-based). */
  double learningRate(long step) {
    double factor =
        step < warmup
            ? (double) step / Math.max(1, warmup)
            : Math.max(0, (double) (total - step) / Math.max(1, total - warmup));
    return peak * factor;
  }
}

package dev.negbench.train;

/**
 * How far a run has got: steps done and the loss of the first and the last of them (NaN before the
 * first).
 */
record TrainingPosition(long step, double firstLoss, double lastLoss) {
  static final TrainingPosition START = new TrainingPosition(0, Double.NaN, Double.NaN);

  /** The position after one more step with {@code loss}. */
  TrainingPosition after(double loss) {
    return new TrainingPosition(step + 1, Double.isNaN(firstLoss) ? loss : firstLoss, loss);
  }
}

package dev.negbench.train;

/** The loss became NaN or infinite: training stops, keeping the last checkpoint. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}

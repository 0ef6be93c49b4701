package dev.negbench.generate;

import java.util.SplittableRandom;

/**
 * Request arrival times as vLLM's {@code benchmark_serving} draws them: gaps from a gamma
 * distribution with shape {@code burstiness} and mean {@code 1 / rate}; burstiness 1 is a Poisson
 * process, below 1 burstier, above 1 more regular. An infinite rate sends everything at once (the
 * concurrency limit then paces the requests).
 */
public final class Arrivals {
  private final double rate;
  private final double burstiness;
  private final SplittableRandom random;

  public Arrivals(double rate, double burstiness, long seed) {
    if (!(rate > 0)) {
      throw new IllegalArgumentException("--request-rate must be positive (or inf), was " + rate);
    }
    if (!(burstiness > 0) || Double.isInfinite(burstiness)) {
      throw new IllegalArgumentException(
          "--burstiness must be a positive number, was " + burstiness);
    }
    this.rate = rate;
    this.burstiness = burstiness;
    this.random = new SplittableRandom(seed);
  }

  /** Seconds until the next request. */
  public double nextGapSeconds() {
    if (Double.isInfinite(rate)) {
      return 0;
    }
    return gamma(burstiness) / (rate * burstiness);
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang (2000), with the shape < 1 boost. */
  private double gamma(double shape) {
    if (shape < 1) {
      return gamma(shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = normal();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }

  private double normal() {
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

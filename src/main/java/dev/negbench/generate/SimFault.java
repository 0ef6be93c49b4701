package dev.negbench.generate;

import java.util.SplittableRandom;

/**
 * The fault a simulated chat request meets: none, or one of {@link SimProfile.Faults}' kinds. The
 * draw is a function of the profile's seed, the prompt and how many times that prompt was asked for
 * before, so a rerun meets the same faults in the same order whatever the timing.
 */
enum SimFault {
  NONE,
  /** 429 with Retry-After. */
  TOO_MANY,
  /** 500. */
  SERVER_ERROR,
  /** The profile's timings times its slow factor. */
  SLOW,
  /** The connection dropped after half the answer. */
  CUT,
  /** A JSON chunk or body broken off halfway. */
  MALFORMED,
  /** An answer with no content. */
  EMPTY,
  /** Passages copied from the prompt's positive. */
  COPY;

  /**
   * The fault of the {@code occurrence}-th request (from 0) for the prompt of {@code promptHash}.
   */
  static SimFault draw(SimProfile profile, String promptHash, int occurrence) {
    SimProfile.Faults f = profile.faults();
    long h = Long.parseUnsignedLong(promptHash.substring(0, 15), 16);
    double u =
        new SplittableRandom(
                profile.seed() * 0x9E3779B97F4A7C15L ^ h ^ (occurrence * 0xBF58476D1CE4E5B9L))
            .nextDouble();
    double[] rates = {
      f.rate429(),
      f.rate500(),
      f.rateSlow(),
      f.rateCut(),
      f.rateMalformed(),
      f.rateEmpty(),
      f.rateCopy()
    };
    SimFault[] faults = {TOO_MANY, SERVER_ERROR, SLOW, CUT, MALFORMED, EMPTY, COPY};
    double acc = 0;
    for (int i = 0; i < rates.length; i++) {
      acc += rates[i];
      if (u < acc) {
        return faults[i];
      }
    }
    return NONE;
  }
}

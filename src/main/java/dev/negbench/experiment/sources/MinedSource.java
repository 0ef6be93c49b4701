package dev.negbench.experiment.sources;

import dev.negbench.mine.MiningSettings;

/**
 * A source that mines the corpus: which ranks of its ranking to take and how (the fields of the
 * {@code mine-*} commands, with their defaults).
 */
interface MinedSource extends Source {
  Integer numNegatives();

  Integer rangeMin();

  Integer rangeMax();

  String sampling();

  /** The last rank considered when {@code range_max} is not set. */
  default int defaultRangeMax() {
    return 100;
  }

  @Override
  default int negativesPerQuery() {
    return numNegatives() == null ? 5 : numNegatives();
  }

  default int rangeMinOr1() {
    return rangeMin() == null ? 1 : rangeMin();
  }

  default int rangeMaxOrDefault() {
    return rangeMax() != null ? rangeMax() : defaultRangeMax();
  }

  default MiningSettings.Sampling samplingOrTop() {
    return sampling() == null
        ? MiningSettings.Sampling.TOP
        : MiningSettings.Sampling.parse(sampling());
  }

  @Override
  default boolean seedDependent() {
    return samplingOrTop() == MiningSettings.Sampling.RANDOM;
  }

  default MiningSettings settings(long seed) {
    return new MiningSettings(
        negativesPerQuery(), rangeMinOr1(), rangeMaxOrDefault(), samplingOrTop(), seed);
  }

  /** Checks the mining fields; types with more fields check those after calling this. */
  default void checkMining(SourceCheck check) {
    check.positive("num_negatives", numNegatives());
    check.positive("range_min", rangeMin());
    if (rangeMax() != null && rangeMax() < rangeMinOr1()) {
      throw check.error("range_max", "expected range_max >= range_min, was " + rangeMax());
    }
    if (sampling() != null) {
      try {
        MiningSettings.Sampling.parse(sampling());
      } catch (IllegalArgumentException e) {
        throw check.error(
            "sampling", "expected 'top' or 'random', was " + SourceCheck.quote(sampling()));
      }
    }
  }

  @Override
  default void check(SourceCheck check) {
    checkMining(check);
  }
}

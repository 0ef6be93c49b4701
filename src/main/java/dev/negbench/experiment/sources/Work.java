package dev.negbench.experiment.sources;

/**
 * Work a source does to make its negatives, for a cost plan before the run: {@code items} of a
 * {@link Kind} on a device; {@code model} is the encoder, cross-encoder or generator profile the
 * rate depends on (or null), {@code maxLength} the tokens per text where it matters (else 0). For
 * {@link Kind#ENCODE_TEXTS}, {@code items} are the corpus's documents plus the queries encoded.
 */
public record Work(
    String stage, String what, long items, Kind kind, String device, String model, int maxLength) {
  /** Work whose rate depends on no model's settings. */
  public Work(String stage, String what, long items, Kind kind, String device, String model) {
    this(stage, what, items, kind, device, model, 0);
  }

  /** What is counted, and so which measured throughput prices it. */
  public enum Kind {
    BM25_QUERIES("queries"),
    ENCODE_TEXTS("texts"),
    SCORE_PAIRS("pairs"),
    /** (query, passage) pairs a cross-encoder is trained on, summed over epochs. */
    TRAIN_PAIRS("pairs"),
    GENERATE_REQUESTS("requests");

    private final String unit;

    Kind(String unit) {
      this.unit = unit;
    }

    public String unit() {
      return unit;
    }
  }

  /**
   * The sizes a source's work is counted from: the collection's documents and its training split.
   */
  public record Sizes(long documents, long trainQueries, long trainPairs) {}
}

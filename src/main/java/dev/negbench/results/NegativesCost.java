package dev.negbench.results;

import dev.negbench.io.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code cost.json}: what making one source's negatives took, written by the negatives stage into
 * its folder (so a reused stage keeps the cost of the run that made it) and copied beside each
 * result. A source's cost is its parts: its own work (mining, scoring, generating) and what it
 * needed first, such as the BM25 index or the corpus encoded for dense mining, each with its wall
 * seconds, device, the price of an hour of that device and how many are held (GPUs), and the work
 * done: {@code documents_indexed}, {@code documents_encoded}, {@code queries_searched}, {@code
 * pairs_scored}, {@code pairs_trained}, {@code tokens_generated}. A mix lists the parts of the
 * sources it mixes.
 *
 * @param negatives negatives written (summed over rows)
 * @param basis how the seconds were measured
 */
public record NegativesCost(
    String source, String sourceType, long negatives, List<Part> parts, String basis) {
  /** Work counters, by the names the tables use. */
  public static final String DOCUMENTS_INDEXED = "documents_indexed";

  public static final String DOCUMENTS_ENCODED = "documents_encoded";
  public static final String QUERIES_SEARCHED = "queries_searched";
  public static final String PAIRS_SCORED = "pairs_scored";
  public static final String TOKENS_GENERATED = "tokens_generated";

  /**
   * (query, passage) pairs a cross-encoder was trained on, over all its steps (a ce source's
   * training rounds).
   */
  public static final String PAIRS_TRAINED = "pairs_trained";

  /** Requests sent to a generator (counted beside its tokens). */
  public static final String REQUESTS = "requests";

  /**
   * One part of the cost: {@code seconds} of wall time on {@code device}, priced at {@code
   * usdPerHour} for each of {@code units} devices (null: no price known).
   */
  public record Part(
      String what,
      double seconds,
      String device,
      Double usdPerHour,
      int units,
      Map<String, Long> work) {
    /** US dollars, NaN without a price. */
    public double usd() {
      return usdPerHour == null ? Double.NaN : seconds / 3600.0 * usdPerHour * Math.max(1, units);
    }

    /** A generation's part: its wall seconds on {@code device}, tokens and requests as its work. */
    public static Part generation(GenerationSummary g, String device) {
      return new Part(
          "generate (" + g.generator() + ")",
          g.seconds(),
          device,
          g.gpuHourUsd(),
          g.gpus(),
          Map.of(TOKENS_GENERATED, g.completionTokens(), REQUESTS, g.requests()));
    }
  }

  public NegativesCost {
    parts = List.copyOf(parts);
  }

  /** Wall seconds of every part. */
  public double seconds() {
    return parts.stream().mapToDouble(Part::seconds).sum();
  }

  /** US dollars of every part; NaN when a part has no price. */
  public double usd() {
    return parts.stream().mapToDouble(Part::usd).sum();
  }

  /** The devices of the parts, in name order, joined by '+'. */
  public String devices() {
    return String.join("+", new TreeSet<>(parts.stream().map(Part::device).toList()));
  }

  /** A work counter summed over the parts. */
  public long work(String counter) {
    return parts.stream().mapToLong(p -> p.work().getOrDefault(counter, 0L)).sum();
  }

  public static NegativesCost read(Path file) {
    return Json.read(file, NegativesCost.class);
  }

  public void write(Path file) {
    Json.write(file, this);
  }
}

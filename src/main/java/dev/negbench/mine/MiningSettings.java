package dev.negbench.mine;

import dev.negbench.data.Negative;
import dev.negbench.io.EnumNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * How negatives are picked from a ranked candidate list: the candidates ranked {@code rangeMin} to
 * {@code rangeMax} (1-based, inclusive) that are not positives; {@code TOP} takes the best {@code
 * numNegatives}, {@code RANDOM} samples them with the seed (sentence-transformers' {@code
 * mine_hard_negatives}: {@code range_min}, {@code range_max}, {@code sampling_strategy}).
 */
public record MiningSettings(
    int numNegatives, int rangeMin, int rangeMax, Sampling sampling, long seed) {
  public enum Sampling {
    TOP,
    RANDOM;

    /** {@code top} or {@code random}, in any case: how options and configs name a sampling. */
    public static Sampling parse(String text) {
      return EnumNames.parse(Sampling.class, "sampling", text);
    }

    /** The lower-case name {@link #parse} reads back: what summaries record. */
    public String label() {
      return EnumNames.label(this);
    }
  }

  public MiningSettings {
    if (numNegatives < 1) {
      throw new IllegalArgumentException("--num-negatives must be at least 1, was " + numNegatives);
    }
    if (rangeMin < 1 || rangeMax < rangeMin) {
      throw new IllegalArgumentException(
          "expected 1 <= --range-min <= --range-max, was " + rangeMin + " and " + rangeMax);
    }
  }

  /**
   * Picks the negatives from a ranked candidate list (best first, ranks 1-based). With {@code
   * RANDOM}, the generator is seeded from the seed and the query id, so a query gets the same
   * negatives whatever the thread count or the order queries run in; the picks keep rank order.
   */
  public List<Negative> pick(List<Negative> ranked, Set<String> positiveIds, String queryId) {
    List<Negative> candidates = new ArrayList<>();
    for (Negative c : ranked) {
      if (c.rank() >= rangeMin && c.rank() <= rangeMax && !positiveIds.contains(c.docId())) {
        candidates.add(c);
      }
    }
    return pickFromCandidates(candidates, queryId);
  }

  /**
   * As {@link #pick}, for candidates already restricted to non-positives in the rank range, in rank
   * order. {@code candidates} may be reordered.
   */
  public List<Negative> pickFromCandidates(List<Negative> candidates, String queryId) {
    int[] picked = pickIndices(candidates.size(), queryId);
    List<Negative> out = new ArrayList<>(picked.length);
    for (int i : picked) {
      out.add(candidates.get(i));
    }
    return List.copyOf(out);
  }

  /**
   * Which of {@code count} candidates (non-positives in the rank range, in rank order) {@link
   * #pickFromCandidates} keeps, as ascending positions: a miner that holds its candidates as
   * document numbers resolves ids for these alone.
   */
  public int[] pickIndices(int count, String queryId) {
    int n = Math.min(numNegatives, count);
    int[] positions = new int[sampling == Sampling.TOP || count <= numNegatives ? n : count];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i;
    }
    if (positions.length == n) {
      return positions;
    }
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ queryId.hashCode());
    for (int i = 0; i < n; i++) {
      int j = i + random.nextInt(count - i);
      int t = positions[i];
      positions[i] = positions[j];
      positions[j] = t;
    }
    // The n chosen positions in ascending order, read off a bitmap of them (no comparisons).
    long[] chosen = new long[(count + 63) >>> 6];
    for (int i = 0; i < n; i++) {
      chosen[positions[i] >>> 6] |= 1L << positions[i];
    }
    int[] picked = new int[n];
    int k = 0;
    for (int w = 0; w < chosen.length; w++) {
      for (long bits = chosen[w]; bits != 0; bits &= bits - 1) {
        picked[k++] = (w << 6) + Long.numberOfTrailingZeros(bits);
      }
    }
    return picked;
  }
}

package dev.negbench.mine;

import dev.negbench.data.Document;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.Query;
import dev.negbench.model.QueryPassage;
import dev.negbench.model.Scorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cross-encoder hard-negative mining: the query's BM25 top {@code candidateDepth} (its own id left
 * out) rescored by a cross-encoder on (query text, {@link Document#contents()}) pairs, and the
 * non-positives picked from that ranking as {@link MiningSettings} says, its ranks being
 * cross-encoder ranks among the candidates (1-based, positives counted). A negative's score is its
 * cross-encoder logit through the {@link ScoreActivation} (the sigmoid by default, as
 * sentence-transformers scores a one-label cross-encoder); the positives are scored too and written
 * with the row. The ranking is by logit: the sigmoid is monotone, so it is the same ranking,
 * without the ties where the sigmoid rounds to 1.
 *
 * <p>An optional {@link Margin} drops likely false negatives as sentence-transformers' {@code
 * mine_hard_negatives} does with {@code relative_margin} and {@code absolute_margin}: a candidate
 * scoring strictly above the margin's bound of the positive score is dropped before the pick, both
 * scores activated. Every candidate of one query is scored in one {@link Scorer} call, so a query's
 * scores, and the output, do not depend on the thread count or on the other queries.
 *
 * <p>An optional {@link ScoreFusion} ranks the candidates instead by the cross-encoder's logits
 * fused with their BM25 scores (each min-max normalised over the query's candidates), as {@code
 * rerank --fuse} does; the ranks are then fused ranks, while the scores written, and compared with
 * the margin, stay the cross-encoder's.
 *
 * <p>Thread-safe when the scorer is. The counters ({@link #droppedByMargin()} and the others) add
 * up over every query this miner has mined.
 */
public final class CrossEncoderMiner implements NegativeSource {
  /**
   * A false-negative filter: candidates scoring above {@link #bound} of the positive score are
   * dropped. Sentence-transformers' {@code mine_hard_negatives} drops where {@code score > positive
   * * (1 - relative_margin)} and where {@code score + absolute_margin > positive}.
   */
  public record Margin(Kind kind, double value) {
    public enum Kind {
      /** Drop above (1 - R) x the positive score: NV-Retriever's TopK-PercPos (R = 0.05 is 95%). */
      RELATIVE,
      /** Drop above the positive score - M: NV-Retriever's TopK-MarginPos. */
      ABSOLUTE
    }

    public Margin {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("the margin must be a finite number, was " + value);
      }
      if (kind == Kind.RELATIVE && (value < 0 || value > 1)) {
        throw new IllegalArgumentException(
            "--relative-margin must be between 0 and 1, was " + value);
      }
    }

    public static Margin relative(double r) {
      return new Margin(Kind.RELATIVE, r);
    }

    public static Margin absolute(double m) {
      return new Margin(Kind.ABSOLUTE, m);
    }

    /**
     * The highest score a negative may have given the positive's. The relative margin assumes a
     * positive score, as the sigmoid's are: on raw logits ({@link ScoreActivation#NONE}) a negative
     * positive logit puts the relative bound above the positive score.
     */
    public double bound(double positiveScore) {
      return kind == Kind.RELATIVE ? positiveScore * (1 - value) : positiveScore - value;
    }
  }

  private final Bm25Searcher searcher;
  private final Scorer scorer;
  private final int candidateDepth;
  private final MiningSettings settings;
  private final Margin margin;
  private final ScoreActivation activation;
  private final ScoreFusion fusion;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder pairsScored = new LongAdder();
  private final LongAdder withoutScoredPositive = new LongAdder();

  /**
   * {@code margin} may be null: no false-negative filter. {@code activation} turns the scorer's
   * logits into the scores compared and written. {@code fusion} (null: none) ranks the candidates
   * by the cross-encoder's logits fused with their BM25 scores.
   */
  public CrossEncoderMiner(
      Bm25Searcher searcher,
      Scorer scorer,
      int candidateDepth,
      MiningSettings settings,
      Margin margin,
      ScoreActivation activation,
      ScoreFusion fusion) {
    if (candidateDepth < 1) {
      throw new IllegalArgumentException(
          "--candidate-depth must be at least 1, was " + candidateDepth);
    }
    this.searcher = searcher;
    this.scorer = scorer;
    this.candidateDepth = candidateDepth;
    this.settings = settings;
    this.margin = margin;
    this.activation = Objects.requireNonNull(activation, "activation");
    this.fusion = fusion;
  }

  @Override
  public String name() {
    return "cross-encoder";
  }

  @Override
  public HardNegatives mine(Query query, Set<String> positiveIds) {
    Bm25Index index = searcher.index();
    List<Bm25Searcher.Hit> hits = searcher.search(query.text(), candidateDepth, query.id());
    // One call scores the candidates, in BM25 order, then the positives BM25 did not retrieve, in
    // qrels order; a positive among the candidates is scored once, as a candidate.
    List<QueryPassage> pairs = new ArrayList<>(hits.size() + positiveIds.size());
    String[] candidateIds = new String[hits.size()];
    for (int i = 0; i < hits.size(); i++) {
      candidateIds[i] = hits.get(i).docId();
      pairs.add(new QueryPassage(query.text(), index.document(candidateIds[i]).contents()));
    }
    Set<String> retrieved = new HashSet<>(Arrays.asList(candidateIds));
    List<String> unretrieved = new ArrayList<>();
    for (String id : positiveIds) {
      Document positive = retrieved.contains(id) ? null : index.document(id);
      if (positive != null) { // null: retrieved, or absent from the corpus (reported at load)
        unretrieved.add(id);
        pairs.add(new QueryPassage(query.text(), positive.contents()));
      }
    }
    float[] logits = pairs.isEmpty() ? new float[0] : scorer.score(pairs);
    pairsScored.add(pairs.size());
    double[] scores = new double[logits.length];
    Arrays.setAll(scores, i -> activation.apply(logits[i]));

    Map<String, Double> scoreById = new LinkedHashMap<>();
    for (int i = 0; i < pairs.size(); i++) {
      scoreById.put(
          i < hits.size() ? candidateIds[i] : unretrieved.get(i - hits.size()), scores[i]);
    }
    Map<String, Double> positiveScores = new LinkedHashMap<>();
    for (String id : positiveIds) {
      Double s = scoreById.get(id);
      if (s != null) {
        positiveScores.put(id, s);
      }
    }

    // One row per query, so one bound: the minimum positive score gives the strictest filter, what
    // sentence-transformers does for a query with several positives ("to be on the safe side").
    double bound = Double.POSITIVE_INFINITY;
    if (margin != null) {
      if (positiveScores.isEmpty()) {
        withoutScoredPositive.increment(); // no positive in the corpus to compare with: no filter
      } else {
        double minPositive =
            positiveScores.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        bound = margin.bound(minPositive);
      }
    }

    // Cross-encoder ranking of the candidates by logit; ties keep BM25 order, so the ranking is
    // deterministic.
    Integer[] order = new Integer[hits.size()];
    Arrays.setAll(order, i -> i);
    if (fusion == null) {
      Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logits[i]));
    } else {
      sortFused(order, logits, hits);
    }
    List<Negative> candidates = new ArrayList<>();
    long droppedHere = 0;
    for (int r = 1; r <= order.length && r <= settings.rangeMax(); r++) {
      int i = order[r - 1];
      if (r < settings.rangeMin() || positiveIds.contains(candidateIds[i])) {
        continue;
      }
      if (scores[i] > bound) {
        droppedHere++;
      } else {
        candidates.add(new Negative(candidateIds[i], r, scores[i]));
      }
    }
    dropped.add(droppedHere);
    return new HardNegatives(
        query.id(),
        query.text(),
        List.copyOf(positiveIds),
        settings.pickFromCandidates(candidates, query.id()),
        positiveScores);
  }

  /**
   * Sorts {@code order} by the logits fused with the hits' BM25 scores, higher first; ties keep
   * BM25 order.
   */
  private void sortFused(Integer[] order, float[] logits, List<Bm25Searcher.Hit> hits) {
    double[] ce = new double[hits.size()];
    double[] bm25 = new double[hits.size()];
    Arrays.setAll(ce, i -> logits[i]);
    Arrays.setAll(bm25, i -> hits.get(i).score());
    double[] fused = fusion.fuse(ce, bm25);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -fused[i]));
  }

  /** Non-positive candidates in the rank range dropped by the margin, over all queries mined. */
  public long droppedByMargin() {
    return dropped.sum();
  }

  @Override
  public Map<String, Long> work() {
    return Map.of("pairs_scored", pairsScored());
  }

  /** (query, passage) pairs scored: candidates and the positives BM25 did not retrieve. */
  public long pairsScored() {
    return pairsScored.sum();
  }

  /** Queries with a margin set but no positive in the corpus to score, so not filtered. */
  public long queriesWithoutScoredPositive() {
    return withoutScoredPositive.sum();
  }

  public int candidateDepth() {
    return candidateDepth;
  }

  public Margin margin() {
    return margin;
  }

  public ScoreActivation activation() {
    return activation;
  }

  /** The fusion the candidates are ranked by, or null: the cross-encoder alone. */
  public ScoreFusion fusion() {
    return fusion;
  }

  /** The activation's name: the scale of the scores written. */
  @Override
  public String scoreScale() {
    return activation.label();
  }
}

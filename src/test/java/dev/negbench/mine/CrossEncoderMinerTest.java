package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Document;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.data.SyntheticDataset;
import dev.negbench.io.Progress;
import dev.negbench.model.CrossEncoder;
import dev.negbench.model.Fixtures;
import dev.negbench.model.QueryPassage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the miner against an independent reranking: each query's BM25 candidates scored by the
 * fixture cross-encoder (random weights: arbitrary but deterministic scores) and filtered here, on
 * raw logits ({@link ScoreActivation#NONE}); the sigmoid's scale is checked against them, and the
 * margins on it by hand in {@link CrossEncoderMinerExampleTest}.
 */
class CrossEncoderMinerTest {
  private static final int DEPTH = 40;
  private static final int BATCH = 16;

  @TempDir static Path tmp;
  static BeirDataset dataset;
  static Bm25Index index;
  static CrossEncoder encoder;

  /**
   * Per query id: the BM25 candidates with their cross-encoder scores, and the positives' scores.
   */
  static Map<String, Reranked> expected = new HashMap<>();

  record Scored(String docId, double score, int bm25Rank, double bm25) {}

  record Reranked(List<Scored> candidates, Map<String, Double> positiveScores) {}

  @BeforeAll
  static void setUp() {
    SyntheticDataset.write(new SyntheticDataset.Settings(500, 60, 7), tmp.resolve("synth"));
    dataset = BeirDataset.open(tmp.resolve("synth"));
    index =
        Bm25Index.openOrBuild(
            dataset,
            tmp.resolve("index"),
            Bm25Index.Parameters.ANSERINI,
            2,
            Progress.Factory.NONE,
            new AtomicReference<>());
    encoder = CrossEncoder.open(Fixtures.dir(Fixtures.CROSS_ENCODER), 512, BATCH, 1);
    Bm25Searcher searcher = new Bm25Searcher(index);
    Qrels qrels = dataset.qrels("train");
    for (Query q : HardNegativeMining.queriesWithPositives(qrels, dataset.queries())) {
      Set<String> positives = qrels.relevant(q.id());
      // The same pairs in the same order as one scorer call, so the floats are bit-identical: the
      // fixture's random weights give scores within 1e-4 of each other, where padding noise
      // matters.
      List<String> ids = new ArrayList<>();
      List<Double> bm25 = new ArrayList<>();
      for (Bm25Searcher.Hit h : searcher.search(q.text(), DEPTH, q.id())) {
        ids.add(h.docId());
        bm25.add((double) h.score());
      }
      int retrieved = ids.size();
      for (String p : positives) {
        if (!ids.contains(p) && index.document(p) != null) {
          ids.add(p);
        }
      }
      List<QueryPassage> pairs = new ArrayList<>();
      for (String id : ids) {
        Document d = index.document(id);
        pairs.add(
            new QueryPassage(
                q.text(), d.title().isEmpty() ? d.text() : d.title() + " " + d.text()));
      }
      float[] scores = encoder.score(pairs);
      List<Scored> candidates = new ArrayList<>();
      Map<String, Double> all = new HashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        all.put(ids.get(i), (double) scores[i]);
        if (i < retrieved) {
          candidates.add(new Scored(ids.get(i), scores[i], i + 1, bm25.get(i)));
        }
      }
      Map<String, Double> positiveScores = new LinkedHashMap<>();
      positives.forEach(p -> positiveScores.put(p, all.get(p)));
      expected.put(q.id(), new Reranked(candidates, positiveScores));
    }
  }

  @AfterAll
  static void tearDown() {
    encoder.close();
    index.close();
  }

  private static CrossEncoderMiner miner(MiningSettings settings, CrossEncoderMiner.Margin margin) {
    return miner(settings, margin, ScoreActivation.NONE, null);
  }

  private static CrossEncoderMiner miner(
      MiningSettings settings,
      CrossEncoderMiner.Margin margin,
      ScoreActivation activation,
      ScoreFusion fusion) {
    return new CrossEncoderMiner(
        new Bm25Searcher(index), encoder, DEPTH, settings, margin, activation, fusion);
  }

  private static HardNegativeMining.Result mine(CrossEncoderMiner miner, int threads) {
    return HardNegativeMining.mine(
        miner, 5, dataset.qrels("train"), dataset.queries(), threads, Progress.Factory.NONE);
  }

  /**
   * What the miner should return for a query: candidates sorted by score (ties by BM25 rank),
   * ranked 1.., kept when in the rank range, not positive and not above the bound; the best N.
   */
  private static List<Negative> expectedNegatives(
      String queryId, Set<String> positives, MiningSettings s, double bound, long[] dropped) {
    List<Scored> ranked = new ArrayList<>(expected.get(queryId).candidates());
    ranked.sort(
        Comparator.comparingDouble((Scored c) -> -c.score()).thenComparingInt(Scored::bm25Rank));
    List<Negative> kept = new ArrayList<>();
    for (int r = 1; r <= ranked.size(); r++) {
      Scored c = ranked.get(r - 1);
      if (r < s.rangeMin() || r > s.rangeMax() || positives.contains(c.docId())) {
        continue;
      }
      if (c.score() > bound) {
        dropped[0]++;
      } else if (kept.size() < s.numNegatives()) {
        kept.add(new Negative(c.docId(), r, c.score()));
      }
    }
    return kept;
  }

  private static double minPositive(String queryId) {
    return expected.get(queryId).positiveScores().values().stream()
        .mapToDouble(Double::doubleValue)
        .min()
        .orElseThrow();
  }

  @Test
  void withoutMarginNegativesAreTheTopNonPositivesByCrossEncoderScore() {
    var settings = new MiningSettings(5, 1, DEPTH, MiningSettings.Sampling.TOP, 1);
    CrossEncoderMiner miner = miner(settings, null);
    var result = mine(miner, 2);
    assertEquals(expected.size(), result.rows().size());
    assertTrue(
        result.rows().size() >= 40, "enough queries to mean something: " + result.rows().size());
    for (HardNegatives h : result.rows()) {
      Set<String> positives = Set.copyOf(h.positiveIds());
      assertEquals(dataset.qrels("train").relevant(h.queryId()), Set.copyOf(h.positiveIds()));
      double previous = Double.POSITIVE_INFINITY;
      for (Negative n : h.negatives()) {
        assertFalse(positives.contains(n.docId()), "never a positive: " + n);
        assertFalse(n.docId().equals(h.queryId()), "never the query itself");
        assertTrue(n.score() <= previous, "sorted by descending score: " + h.negatives());
        previous = n.score();
      }
      assertEquals(
          expectedNegatives(
              h.queryId(), positives, settings, Double.POSITIVE_INFINITY, new long[1]),
          h.negatives(),
          h.queryId());
      assertEquals(expected.get(h.queryId()).positiveScores(), h.positiveScores());
    }
    assertEquals(0, miner.droppedByMargin());
    assertEquals(
        result.rows().stream().filter(h -> h.negatives().size() < 5).count(),
        result.summary().queriesShort());
    long pairs = expected.values().stream().mapToLong(e -> e.candidates().size()).sum();
    assertTrue(miner.pairsScored() >= pairs);
  }

  @Test
  void marginsKeepNegativesUnderTheBoundAndCountWhatTheyDrop() {
    var settings = new MiningSettings(5, 3, 30, MiningSettings.Sampling.TOP, 1);
    // The fixture's scores lie within about 1e-5 of 0.0118: R = 0.05 (NV-Retriever's setting) drops
    // every candidate, the others drop some and keep some.
    var large = CrossEncoderMiner.Margin.relative(0.05);
    for (CrossEncoderMiner.Margin margin :
        List.of(
            large,
            CrossEncoderMiner.Margin.relative(0.0005),
            CrossEncoderMiner.Margin.absolute(0),
            CrossEncoderMiner.Margin.absolute(-2e-5))) {
      CrossEncoderMiner miner = miner(settings, margin);
      var result = mine(miner, 2);
      long[] dropped = {0};
      long kept = 0;
      for (HardNegatives h : result.rows()) {
        double bound = margin.bound(minPositive(h.queryId()));
        for (Negative n : h.negatives()) {
          assertTrue(
              n.score() <= bound,
              margin + ": " + n + " above the bound " + bound + " for " + h.queryId());
          assertTrue(n.rank() >= 3 && n.rank() <= 30, "rank in range: " + n);
          kept++;
        }
        assertEquals(
            expectedNegatives(h.queryId(), Set.copyOf(h.positiveIds()), settings, bound, dropped),
            h.negatives(),
            margin + " " + h.queryId());
      }
      assertEquals(dropped[0], miner.droppedByMargin(), margin.toString());
      assertTrue(miner.droppedByMargin() > 0, margin + " drops candidates");
      assertEquals(margin == large, kept == 0, margin + " keeps " + kept + ", drops " + dropped[0]);
      assertEquals(0, miner.queriesWithoutScoredPositive());
    }
  }

  @Test
  void theSigmoidKeepsTheRankingAndRescalesEveryScore() {
    var settings = new MiningSettings(5, 1, DEPTH, MiningSettings.Sampling.TOP, 1);
    List<HardNegatives> raw = mine(miner(settings, null), 1).rows();
    List<HardNegatives> sigmoid =
        mine(miner(settings, null, ScoreActivation.SIGMOID, null), 1).rows();
    assertEquals(raw.size(), sigmoid.size());
    for (int i = 0; i < raw.size(); i++) {
      HardNegatives r = raw.get(i);
      HardNegatives s = sigmoid.get(i);
      assertEquals(r.negatives().size(), s.negatives().size(), r.queryId());
      for (int j = 0; j < r.negatives().size(); j++) {
        Negative n = r.negatives().get(j);
        Negative m = s.negatives().get(j);
        assertEquals(n.docId(), m.docId(), r.queryId());
        assertEquals(n.rank(), m.rank(), r.queryId());
        assertEquals(1 / (1 + Math.exp(-n.score())), m.score(), 1e-15, m.toString());
        assertTrue(m.score() > 0 && m.score() < 1, m.toString());
      }
      r.positiveScores()
          .forEach(
              (id, logit) ->
                  assertEquals(1 / (1 + Math.exp(-logit)), s.positiveScores().get(id), 1e-15, id));
    }
  }

  @Test
  void fusedRanksFollowTheFusedScoresWhileScoresStayTheCrossEncoders() {
    var settings = new MiningSettings(5, 1, DEPTH, MiningSettings.Sampling.TOP, 1);
    for (double w : new double[] {0, 0.5}) {
      CrossEncoderMiner miner = miner(settings, null, ScoreActivation.NONE, new ScoreFusion(w));
      int differ = 0;
      for (HardNegatives h : mine(miner, 2).rows()) {
        Set<String> positives = Set.copyOf(h.positiveIds());
        List<Scored> c = new ArrayList<>(expected.get(h.queryId()).candidates());
        double[] ce = normalised(c.stream().mapToDouble(Scored::score).toArray());
        double[] bm = normalised(c.stream().mapToDouble(Scored::bm25).toArray());
        Map<String, Double> fused = new HashMap<>();
        for (int i = 0; i < c.size(); i++) {
          fused.put(c.get(i).docId(), w * ce[i] + (1 - w) * bm[i]);
        }
        c.sort(
            Comparator.comparingDouble((Scored x) -> -fused.get(x.docId()))
                .thenComparingInt(Scored::bm25Rank));
        List<Negative> want = new ArrayList<>();
        for (int r = 1; r <= c.size() && want.size() < 5; r++) {
          if (!positives.contains(c.get(r - 1).docId())) {
            // The rank is the fused one; the score stays the cross-encoder's.
            want.add(new Negative(c.get(r - 1).docId(), r, c.get(r - 1).score()));
          }
        }
        assertEquals(want, h.negatives(), "W = " + w + " " + h.queryId());
        if (w == 0) {
          // BM25 alone: the ranks are BM25's.
          for (Negative n : h.negatives()) {
            assertEquals(
                n.docId(), expected.get(h.queryId()).candidates().get(n.rank() - 1).docId());
          }
        }
        List<Negative> alone =
            expectedNegatives(
                h.queryId(), positives, settings, Double.POSITIVE_INFINITY, new long[1]);
        differ += alone.equals(h.negatives()) ? 0 : 1;
      }
      assertTrue(differ > 0, "W = " + w + " ranks differently from the cross-encoder alone");
    }
  }

  /** (x - min) / (max - min), all 0 for a constant list: what fusion normalises by. */
  private static double[] normalised(double[] xs) {
    double min = Arrays.stream(xs).min().orElse(0);
    double max = Arrays.stream(xs).max().orElse(0);
    return Arrays.stream(xs).map(x -> max > min ? (x - min) / (max - min) : 0).toArray();
  }

  @Test
  void outputDoesNotDependOnThreadsAndRandomSamplingIsSeeded() {
    var settings = new MiningSettings(3, 1, DEPTH, MiningSettings.Sampling.RANDOM, 5);
    var margin = CrossEncoderMiner.Margin.absolute(0);
    List<HardNegatives> one = mine(miner(settings, margin), 1).rows();
    assertEquals(one, mine(miner(settings, margin), 2).rows());
    for (HardNegatives h : one) {
      double bound = margin.bound(minPositive(h.queryId()));
      h.negatives()
          .forEach(n -> assertTrue(n.score() <= bound && !h.positiveIds().contains(n.docId())));
    }
  }

  @Test
  void marginsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> CrossEncoderMiner.Margin.relative(-0.1));
    assertThrows(IllegalArgumentException.class, () -> CrossEncoderMiner.Margin.relative(1.5));
    assertThrows(
        IllegalArgumentException.class, () -> CrossEncoderMiner.Margin.absolute(Double.NaN));
    assertEquals(0.95 * 2, CrossEncoderMiner.Margin.relative(0.05).bound(2), 1e-12);
    assertEquals(
        -0.95,
        CrossEncoderMiner.Margin.relative(0.05).bound(-1),
        1e-12,
        "a negative positive score: bound above it");
    assertEquals(1.5, CrossEncoderMiner.Margin.absolute(0.5).bound(2), 1e-12);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new CrossEncoderMiner(
                new Bm25Searcher(index),
                encoder,
                0,
                new MiningSettings(1, 1, 1, MiningSettings.Sampling.TOP, 0),
                null,
                ScoreActivation.SIGMOID,
                null));
  }
}

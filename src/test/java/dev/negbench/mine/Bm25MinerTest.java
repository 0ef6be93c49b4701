package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.data.SyntheticDataset;
import dev.negbench.io.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Bm25MinerTest {
  @TempDir static Path tmp;
  static BeirDataset dataset;

  @BeforeAll
  static void synth() {
    SyntheticDataset.write(new SyntheticDataset.Settings(3000, 300, 11), tmp.resolve("synth"));
    dataset = BeirDataset.open(tmp.resolve("synth"));
  }

  private HardNegativeMining.Result mine(MiningSettings settings, int threads) {
    try (Bm25Index index =
        Bm25Index.openOrBuild(
            dataset, tmp.resolve("index"), Bm25Index.Parameters.ANSERINI, 2, Progress.Factory.NONE, new AtomicReference<>())) {
      Bm25Miner miner = new Bm25Miner(new Bm25Searcher(index), settings);
      return HardNegativeMining.mine(
          miner, settings.numNegatives(), dataset.qrels("train"), dataset.queries(), threads, Progress.Factory.NONE);
    }
  }

  @Test
  void topNegativesAreTheBestRankedNonPositivesInRange() {
    var settings = new MiningSettings(5, 3, 30, MiningSettings.Sampling.TOP, 1);
    var result = mine(settings, 2);
    assertEquals(240, result.summary().queries());
    for (HardNegatives h : result.rows()) {
      Set<String> positives = new HashSet<>(h.positiveIds());
      assertTrue(dataset.qrels("train").relevant(h.queryId()).containsAll(positives));
      int previous = 0;
      for (Negative n : h.negatives()) {
        assertTrue(n.rank() >= 3 && n.rank() <= 30, "rank in range: " + n);
        assertTrue(n.rank() > previous);
        assertTrue(!positives.contains(n.docId()), "never a positive");
        previous = n.rank();
      }
      // "top" leaves no gap: every rank skipped between range-min and the last pick is a positive.
      if (!h.negatives().isEmpty()) {
        int skipped = h.negatives().get(h.negatives().size() - 1).rank() - 3 + 1 - h.negatives().size();
        assertTrue(skipped <= positives.size(), "skipped " + skipped + " ranks for " + h.queryId());
      }
    }
    long found = result.rows().stream().mapToLong(h -> h.negatives().size()).sum();
    assertEquals(found, result.summary().negatives());
    assertEquals(result.rows().stream().filter(h -> h.negatives().size() < 5).count(), result.summary().queriesShort());
  }

  @Test
  void minedNegativesAreThosePickedFromTheFullCandidateList() {
    // The miner asks Lucene for range-min - 1 + N + positives hits under "top", and holds its
    // candidates as document numbers; the picks must equal those made from the whole range-max list
    // of (id, rank, score), with the same ranks and scores.
    for (var settings : List.of(
        new MiningSettings(5, 3, 30, MiningSettings.Sampling.TOP, 1),
        new MiningSettings(2, 1, 100, MiningSettings.Sampling.TOP, 1),
        new MiningSettings(4, 2, 50, MiningSettings.Sampling.RANDOM, 99))) {
      try (Bm25Index index =
          Bm25Index.openOrBuild(dataset, tmp.resolve("index"), Bm25Index.Parameters.ANSERINI, 2, Progress.Factory.NONE, new AtomicReference<>())) {
        Bm25Searcher searcher = new Bm25Searcher(index);
        Bm25Miner miner = new Bm25Miner(searcher, settings);
        Qrels qrels = dataset.qrels("train");
        for (Query q : HardNegativeMining.queriesWithPositives(qrels, dataset.queries())) {
          List<Negative> ranked = searcher.search(q.text(), settings.rangeMax(), q.id()).stream()
              .map(h -> new Negative(h.docId(), h.rank(), h.score()))
              .toList();
          assertEquals(settings.pick(ranked, qrels.relevant(q.id()), q.id()), miner.mine(q, qrels.relevant(q.id())).negatives(), q.id());
        }
      }
    }
  }

  @Test
  void randomSamplingIsSeededAndIndependentOfThreads() {
    var seeded = new MiningSettings(4, 1, 50, MiningSettings.Sampling.RANDOM, 99);
    List<HardNegatives> oneThread = mine(seeded, 1).rows();
    List<HardNegatives> twoThreads = mine(seeded, 2).rows();
    assertEquals(oneThread, twoThreads);
    List<HardNegatives> otherSeed = mine(new MiningSettings(4, 1, 50, MiningSettings.Sampling.RANDOM, 100), 2).rows();
    assertNotEquals(oneThread, otherSeed);
    List<HardNegatives> top = mine(new MiningSettings(4, 1, 50, MiningSettings.Sampling.TOP, 99), 2).rows();
    assertNotEquals(top, oneThread, "random differs from top");
  }

  @Test
  void pickAppliesRangeAndPositives() {
    List<Negative> ranked = new ArrayList<>();
    for (int r = 1; r <= 10; r++) {
      ranked.add(new Negative("d" + r, r, 20 - r));
    }
    var top = new MiningSettings(3, 2, 8, MiningSettings.Sampling.TOP, 0);
    assertEquals(
        List.of("d2", "d4", "d5"),
        top.pick(ranked, Set.of("d1", "d3"), "q").stream().map(Negative::docId).toList());
    var few = new MiningSettings(9, 7, 8, MiningSettings.Sampling.RANDOM, 0);
    assertEquals(List.of("d7", "d8"), few.pick(ranked, Set.of(), "q").stream().map(Negative::docId).toList());
    assertThrows(IllegalArgumentException.class, () -> new MiningSettings(1, 5, 4, MiningSettings.Sampling.TOP, 0));
    assertThrows(IllegalArgumentException.class, () -> new MiningSettings(0, 1, 4, MiningSettings.Sampling.TOP, 0));
    assertEquals(MiningSettings.Sampling.TOP, MiningSettings.Sampling.parse("Top"));
    assertEquals(MiningSettings.Sampling.RANDOM, MiningSettings.Sampling.parse("random"));
    assertEquals("random", MiningSettings.Sampling.RANDOM.label());
    var bad = assertThrows(IllegalArgumentException.class, () -> MiningSettings.Sampling.parse("best"));
    assertEquals("sampling must be 'top' or 'random', was 'best'", bad.getMessage());
  }
}

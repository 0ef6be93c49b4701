package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.nio.file.Files;
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
            dataset,
            tmp.resolve("index"),
            Bm25Index.Parameters.ANSERINI,
            2,
            Progress.Factory.NONE,
            new AtomicReference<>())) {
      Bm25Miner miner = new Bm25Miner(new Bm25Searcher(index), settings);
      return HardNegativeMining.mine(
          miner,
          settings.numNegatives(),
          dataset.qrels("train"),
          dataset.queries(),
          threads,
          Progress.Factory.NONE);
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
        int skipped =
            h.negatives().get(h.negatives().size() - 1).rank() - 3 + 1 - h.negatives().size();
        assertTrue(skipped <= positives.size(), "skipped " + skipped + " ranks for " + h.queryId());
      }
    }
    long found = result.rows().stream().mapToLong(h -> h.negatives().size()).sum();
    assertEquals(found, result.summary().negatives());
    assertEquals(
        result.rows().stream().filter(h -> h.negatives().size() < 5).count(),
        result.summary().queriesShort());
  }

  @Test
  void minedNegativesAreThosePickedFromTheFullCandidateList() {
    // The miner asks Lucene for range-min - 1 + N + positives hits under "top", and holds its
    // candidates as document numbers; the picks must equal those made from the whole range-max list
    // of (id, rank, score), with the same ranks and scores.
    for (var settings :
        List.of(
            new MiningSettings(5, 3, 30, MiningSettings.Sampling.TOP, 1),
            new MiningSettings(2, 1, 100, MiningSettings.Sampling.TOP, 1),
            new MiningSettings(4, 2, 50, MiningSettings.Sampling.RANDOM, 99))) {
      try (Bm25Index index =
          Bm25Index.openOrBuild(
              dataset,
              tmp.resolve("index"),
              Bm25Index.Parameters.ANSERINI,
              2,
              Progress.Factory.NONE,
              new AtomicReference<>())) {
        Bm25Searcher searcher = new Bm25Searcher(index);
        Bm25Miner miner = new Bm25Miner(searcher, settings);
        Qrels qrels = dataset.qrels("train");
        for (Query q : HardNegativeMining.queriesWithPositives(qrels, dataset.queries())) {
          List<Negative> ranked =
              searcher.search(q.text(), settings.rangeMax(), q.id()).stream()
                  .map(h -> new Negative(h.docId(), h.rank(), h.score()))
                  .toList();
          assertEquals(
              settings.pick(ranked, qrels.relevant(q.id()), q.id()),
              miner.mine(q, qrels.relevant(q.id())).negatives(),
              q.id());
        }
        // In batches (ids looked up together), on two threads: the same rows as one by one.
        List<HardNegatives> oneByOne = new ArrayList<>();
        for (Query q : HardNegativeMining.queriesWithPositives(qrels, dataset.queries())) {
          oneByOne.add(miner.mine(q, qrels.relevant(q.id())));
        }
        assertEquals(
            oneByOne,
            HardNegativeMining.mine(
                    miner,
                    settings.numNegatives(),
                    qrels,
                    dataset.queries(),
                    2,
                    Progress.Factory.NONE)
                .rows());
      }
    }
  }

  /**
   * "Aa" and "BB" have the same String hash, so the id table cannot tell them apart by hash: a
   * positive "Aa" is left out, its hash twin "BB" stays a negative, whichever of them is positive.
   */
  @Test
  void aPositivesHashTwinIsStillANegative(@TempDir Path dir) throws Exception {
    assertEquals("Aa".hashCode(), "BB".hashCode());
    Files.createDirectories(dir.resolve("twins/qrels"));
    StringBuilder corpus = new StringBuilder();
    corpus.append("{\"_id\": \"Aa\", \"text\": \"apple banana cherry\"}\n");
    corpus.append("{\"_id\": \"BB\", \"text\": \"apple banana cherry date\"}\n");
    // The query is also a document (as in ArguAna): it is left out of its own hits.
    corpus.append("{\"_id\": \"q1\", \"text\": \"apple banana cherry\"}\n");
    for (int d = 0; d < 20; d++) {
      corpus
          .append("{\"_id\": \"f")
          .append(d)
          .append("\", \"text\": \"apple filler")
          .append(d)
          .append("\"}\n");
    }
    Files.writeString(dir.resolve("twins/corpus.jsonl"), corpus);
    Files.writeString(
        dir.resolve("twins/queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"apple banana\"}\n");
    Files.writeString(
        dir.resolve("twins/qrels/train.tsv"), "query-id\tcorpus-id\tscore\nq1\tAa\t1\n");
    BeirDataset twins = BeirDataset.open(dir.resolve("twins"));
    try (Bm25Index index =
        Bm25Index.openOrBuild(
            twins,
            dir.resolve("index"),
            Bm25Index.Parameters.ANSERINI,
            1,
            Progress.Factory.NONE,
            new AtomicReference<>())) {
      assertNotEquals(index.luceneDoc("Aa"), index.luceneDoc("BB"));
      assertArrayEquals(
          new int[] {
            index.luceneDoc("BB"),
            -1,
            index.luceneDoc("Aa"),
            index.luceneDoc("f3"),
            index.luceneDoc("BB")
          },
          index.luceneDocs(new String[] {"BB", "not-an-id", "Aa", "f3", "BB"}),
          "looked up together as one by one, hash twins told apart");
      Query q = twins.queries().get("q1");
      for (var settings :
          List.of(
              new MiningSettings(5, 1, 10, MiningSettings.Sampling.TOP, 1),
              new MiningSettings(5, 1, 10, MiningSettings.Sampling.RANDOM, 1))) {
        Bm25Miner miner = new Bm25Miner(new Bm25Searcher(index), settings);
        for (String positive : List.of("Aa", "BB")) {
          String twin = positive.equals("Aa") ? "BB" : "Aa";
          List<String> negatives =
              miner.mine(q, Set.of(positive)).negatives().stream().map(Negative::docId).toList();
          assertTrue(
              !negatives.contains(positive),
              settings.sampling() + ": positive " + positive + " left out: " + negatives);
          assertTrue(
              !negatives.contains("q1"),
              settings.sampling() + ": the query's own document left out: " + negatives);
          if (settings.sampling() == MiningSettings.Sampling.TOP) {
            assertEquals(
                twin, negatives.get(0), "the twin is the best-ranked non-positive: " + negatives);
          }
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
    List<HardNegatives> otherSeed =
        mine(new MiningSettings(4, 1, 50, MiningSettings.Sampling.RANDOM, 100), 2).rows();
    assertNotEquals(oneThread, otherSeed);
    List<HardNegatives> top =
        mine(new MiningSettings(4, 1, 50, MiningSettings.Sampling.TOP, 99), 2).rows();
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
    assertEquals(
        List.of("d7", "d8"),
        few.pick(ranked, Set.of(), "q").stream().map(Negative::docId).toList());
    assertThrows(
        IllegalArgumentException.class,
        () -> new MiningSettings(1, 5, 4, MiningSettings.Sampling.TOP, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MiningSettings(0, 1, 4, MiningSettings.Sampling.TOP, 0));
    assertEquals(MiningSettings.Sampling.TOP, MiningSettings.Sampling.parse("Top"));
    assertEquals(MiningSettings.Sampling.RANDOM, MiningSettings.Sampling.parse("random"));
    assertEquals("random", MiningSettings.Sampling.RANDOM.label());
    var bad =
        assertThrows(IllegalArgumentException.class, () -> MiningSettings.Sampling.parse("best"));
    assertEquals("sampling must be 'top' or 'random', was 'best'", bad.getMessage());
  }
}

package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.Query;
import dev.negbench.model.OnnxEncoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DenseSearcherTest {
  private static DenseEmbeddings random(int n, int dim, long seed) {
    Random r = new Random(seed);
    String[] ids = new String[n];
    float[][] vectors = new float[n][dim];
    for (int i = 0; i < n; i++) {
      ids[i] = "d" + i;
      for (int d = 0; d < dim; d++) {
        vectors[i][d] = (float) r.nextGaussian();
      }
      OnnxEncoder.l2Normalize(vectors[i]);
    }
    return new DenseEmbeddings(ids, vectors);
  }

  private static float dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return (float) s;
  }

  @Test
  void topKEqualsAFullSortByInnerProduct() {
    DenseEmbeddings corpus = random(500, 16, 3);
    DenseSearcher searcher = new DenseSearcher(corpus);
    float[] q = corpus.vector(7).clone();
    q[0] += 0.5f;
    OnnxEncoder.l2Normalize(q);
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      all.add(i);
    }
    all.sort(Comparator.comparingDouble((Integer i) -> -dot(q, corpus.vector(i))));
    List<DenseSearcher.Hit> hits = searcher.search(q, 25, null);
    assertEquals(25, hits.size());
    for (int i = 0; i < hits.size(); i++) {
      assertEquals(i + 1, hits.get(i).rank());
      assertEquals(all.get(i), hits.get(i).row(), "rank " + (i + 1));
      assertEquals(dot(q, corpus.vector(all.get(i))), hits.get(i).score(), 1e-5);
    }
  }

  @Test
  void excludedIdIsLeftOutAndRanksCloseUp() {
    DenseEmbeddings corpus = random(50, 8, 5);
    DenseSearcher searcher = new DenseSearcher(corpus);
    float[] q = corpus.vector(10);
    assertEquals(10, searcher.search(q, 5, null).get(0).row(), "a document is its own best hit");
    List<DenseSearcher.Hit> hits = searcher.search(q, 5, "d10");
    assertEquals(5, hits.size());
    assertTrue(hits.stream().noneMatch(h -> h.row() == 10));
    assertEquals(searcher.search(q, 6, null).subList(1, 6).stream().map(DenseSearcher.Hit::row).toList(),
        hits.stream().map(DenseSearcher.Hit::row).toList());
    assertEquals(49, searcher.search(q, 1000, "d10").size(), "k larger than the corpus");
  }

  @Test
  void tiesBreakByCorpusOrder() {
    float[][] v = {{1, 0}, {0, 1}, {1, 0}, {1, 0}};
    DenseSearcher searcher = new DenseSearcher(new DenseEmbeddings(new String[] {"a", "b", "c", "d"}, v));
    assertEquals(List.of(0, 2), searcher.search(new float[] {1, 0}, 2, null).stream().map(DenseSearcher.Hit::row).toList());
  }

  @Test
  void minerKeepsNonPositivesInRange() {
    DenseEmbeddings corpus = random(200, 8, 9);
    DenseSearcher searcher = new DenseSearcher(corpus);
    float[] q = corpus.vector(3);
    List<DenseSearcher.Hit> ranked = searcher.search(q, 30, "d3");
    String positive = corpus.docId(ranked.get(3).row()); // rank 4
    var settings = new MiningSettings(5, 2, 30, MiningSettings.Sampling.TOP, 1);
    HardNegatives h = new DenseMiner(searcher, Map.of("d3", q), settings).mine(new Query("d3", "q"), Set.of(positive));
    assertEquals(List.of(2, 3, 5, 6, 7), h.negatives().stream().map(Negative::rank).toList());
    assertTrue(h.negatives().stream().noneMatch(n -> n.docId().equals(positive) || n.docId().equals("d3")));
    assertEquals(ranked.get(1).score(), h.negatives().get(0).score(), 0);
  }
}

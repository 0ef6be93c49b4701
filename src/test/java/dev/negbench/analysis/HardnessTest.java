package dev.negbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.TinyDatasets;
import dev.negbench.io.Progress;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.Bm25Searcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardnessTest {
  @TempDir Path tmp;

  @Test
  void jaccardByHand() {
    assertEquals(1.0 / 3, Hardness.jaccard(Set.of("a", "b"), Set.of("b", "c")), 1e-12);
    assertEquals(0.0, Hardness.jaccard(Set.of("a"), Set.of("b")), 1e-12);
    assertEquals(1.0, Hardness.jaccard(Set.of("a", "b"), Set.of("b", "a")), 1e-12);
    assertEquals(0.0, Hardness.jaccard(Set.of(), Set.of()), 1e-12);
  }

  @Test
  void bm25OfAnyTextMatchesLuceneForIndexedDocuments() throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp.resolve("data")));
    try (Bm25Index index =
        Bm25Index.openOrBuild(
            ds, tmp.resolve("index"), Bm25Index.Parameters.ANSERINI, 1, Progress.Factory.NONE)) {
      Hardness.Bm25 bm25 = new Hardness.Bm25(index);
      var searcher = new Bm25Searcher(index);
      var terms = bm25.terms("roasting coffee beans");
      int checked = 0;
      for (Bm25Searcher.Hit hit : searcher.search("roasting coffee beans", 10, null)) {
        // Short documents: Lucene's one-byte length norm is exact, so the scores agree.
        double ours = bm25.score(terms, index.document(hit.docId()).contents());
        assertEquals(hit.score(), ours, 1e-5 * Math.max(1, ours), hit.docId());
        checked++;
      }
      assertTrue(checked >= 3, "hits checked: " + checked);
      assertEquals(0.0, bm25.score(terms, "nothing in common here"), 0.0);
    }
  }
}

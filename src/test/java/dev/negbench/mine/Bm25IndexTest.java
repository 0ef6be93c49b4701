package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Document;
import dev.negbench.data.TinyDatasets;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Bm25IndexTest {
  @TempDir Path tmp;

  private Bm25Index open(
      BeirDataset ds,
      Path dir,
      Bm25Index.Parameters p,
      AtomicReference<Bm25Index.Outcome> outcome) {
    return Bm25Index.openOrBuild(ds, dir, p, 2, Progress.Factory.NONE, outcome);
  }

  @Test
  void buildsOnceAndReusesWhileTheManifestMatches() throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp.resolve("data")));
    Path dir = tmp.resolve("index");
    var outcome = new AtomicReference<Bm25Index.Outcome>();
    try (Bm25Index index = open(ds, dir, Bm25Index.Parameters.ANSERINI, outcome)) {
      assertEquals(Bm25Index.Outcome.BUILT, outcome.get());
      assertEquals(6, index.size());
      assertEquals(
          new Document("d2", "Roasting coffee", "how to roast coffee beans at home"),
          index.document("d2"));
      assertNull(index.document("missing"));
    }
    String manifest = Files.readString(dir.resolve(Bm25Index.MANIFEST));
    assertTrue(
        manifest.contains("\"k1\" : 0.9") && manifest.contains("PorterStemFilter"), manifest);
    try (Bm25Index index = open(ds, dir, Bm25Index.Parameters.ANSERINI, outcome)) {
      assertEquals(Bm25Index.Outcome.REUSED, outcome.get());
    }
    try (Bm25Index index = open(ds, dir, new Bm25Index.Parameters(1.2f, 0.75f), outcome)) {
      assertEquals(Bm25Index.Outcome.REBUILT, outcome.get(), "other parameters: rebuilt");
    }
    Files.writeString(
        ds.corpusFile(),
        Files.readString(ds.corpusFile()) + "{\"_id\": \"d7\", \"text\": \"new coffee\"}\n");
    try (Bm25Index index = open(ds, dir, new Bm25Index.Parameters(1.2f, 0.75f), outcome)) {
      assertEquals(Bm25Index.Outcome.REBUILT, outcome.get(), "corpus changed: rebuilt");
      assertEquals(7, index.size());
    }
    try (var entries = Files.list(tmp)) {
      assertEquals(
          List.of("data", "index"),
          entries.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary folders left");
    }
  }

  @Test
  void searchRanksLeavesOutTheQueryIdAndMatchesAnalyzedTerms() throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp.resolve("data")));
    try (Bm25Index index =
        open(ds, tmp.resolve("index"), Bm25Index.Parameters.ANSERINI, new AtomicReference<>())) {
      Bm25Searcher searcher = new Bm25Searcher(index);
      List<Bm25Searcher.Hit> all = searcher.search("coffee cup roasting", 10, null);
      assertEquals("q1", all.get(0).docId(), "the document that is also query q1 ranks first");
      List<Bm25Searcher.Hit> hits = searcher.search("coffee cup roasting", 10, "q1");
      assertEquals("d2", hits.get(0).docId());
      assertEquals(1, hits.get(0).rank());
      assertTrue(hits.stream().noneMatch(h -> h.docId().equals("q1")));
      for (int i = 1; i < hits.size(); i++) {
        assertEquals(i + 1, hits.get(i).rank());
        assertTrue(hits.get(i - 1).score() >= hits.get(i).score());
      }
      // Porter stemming: "roasted" and "roasting" meet at "roast"; stop words match nothing.
      assertEquals("d2", searcher.search("roasted", 1, "q1").get(0).docId());
      assertTrue(searcher.search("the and of", 5, null).isEmpty());
      assertEquals(
          1,
          searcher.search("roasting coffee beans", 1, "q1").size(),
          "k applies after the self-hit is removed");
    }
  }

  @Test
  void repeatedQueryTermsWeighMore() throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp.resolve("data")));
    try (Bm25Index index =
        open(ds, tmp.resolve("index"), Bm25Index.Parameters.ANSERINI, new AtomicReference<>())) {
      Bm25Searcher searcher = new Bm25Searcher(index);
      float once = scoreOf(searcher.search("bicycle tea", 10, null), "d6");
      float twice = scoreOf(searcher.search("bicycle bicycle tea", 10, null), "d6");
      assertEquals(2 * once, twice, 1e-5, "Anserini's bag of words boosts a term by its count");
    }
  }

  private static float scoreOf(List<Bm25Searcher.Hit> hits, String id) {
    return hits.stream().filter(h -> h.docId().equals(id)).findFirst().orElseThrow().score();
  }
}

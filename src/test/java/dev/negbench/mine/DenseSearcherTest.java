package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.Query;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Progress;
import dev.negbench.model.OnnxEncoder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    assertEquals(
        searcher.search(q, 6, null).subList(1, 6).stream().map(DenseSearcher.Hit::row).toList(),
        hits.stream().map(DenseSearcher.Hit::row).toList());
    assertEquals(49, searcher.search(q, 1000, "d10").size(), "k larger than the corpus");
  }

  @Test
  void tiesBreakByCorpusOrder() {
    float[][] v = {{1, 0}, {0, 1}, {1, 0}, {1, 0}};
    DenseSearcher searcher =
        new DenseSearcher(new DenseEmbeddings(new String[] {"a", "b", "c", "d"}, v));
    assertEquals(
        List.of(0, 2),
        searcher.search(new float[] {1, 0}, 2, null).stream().map(DenseSearcher.Hit::row).toList());
  }

  @Test
  void minerKeepsNonPositivesInRange() {
    DenseEmbeddings corpus = random(200, 8, 9);
    DenseSearcher searcher = new DenseSearcher(corpus);
    float[] q = corpus.vector(3);
    List<DenseSearcher.Hit> ranked = searcher.search(q, 30, "d3");
    String positive = corpus.docId(ranked.get(3).row()); // rank 4
    var settings = new MiningSettings(5, 2, 30, MiningSettings.Sampling.TOP, 1);
    Query query = new Query("d3", "q");
    HardNegatives h =
        new DenseMiner(
                searcher, List.of(query), new float[][] {q}, settings, 1, Progress.Factory.NONE)
            .mine(query, Set.of(positive));
    assertEquals(List.of(2, 3, 5, 6, 7), h.negatives().stream().map(Negative::rank).toList());
    assertTrue(
        h.negatives().stream()
            .noneMatch(n -> n.docId().equals(positive) || n.docId().equals("d3")));
    assertEquals(ranked.get(1).score(), h.negatives().get(0).score(), 0);
  }

  /** Every query's top k by a full sort in double precision, ties by corpus order. */
  private static List<List<Integer>> reference(
      DenseEmbeddings corpus, float[][] queries, int k, int[] excluded) {
    List<List<Integer>> out = new ArrayList<>();
    for (int q = 0; q < queries.length; q++) {
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < corpus.size(); i++) {
        if (i != excluded[q]) {
          all.add(i);
        }
      }
      float[] query = queries[q];
      all.sort(
          Comparator.comparingDouble((Integer i) -> -dot(query, corpus.vector(i)))
              .thenComparing(i -> i));
      out.add(all.subList(0, Math.min(k, all.size())));
    }
    return out;
  }

  @Test
  void blocksOfQueriesAgainstTilesOfDocumentsGiveEachQuerysOwnTopK() {
    // 70 queries: two full blocks and a partial one; 1,000 documents: three full tiles and a part.
    DenseEmbeddings corpus = random(1000, 24, 21);
    DenseEmbeddings queryEmbeddings = random(70, 24, 22);
    float[][] queries = new float[70][];
    List<Query> list = new ArrayList<>();
    int[] excluded = new int[70];
    for (int q = 0; q < 70; q++) {
      queries[q] = queryEmbeddings.vector(q);
      // every third query carries the id of a document, which is left out
      String id = q % 3 == 0 ? "d" + (q * 13) : "query" + q;
      list.add(new Query(id, ""));
      excluded[q] = corpus.row(id);
    }
    List<List<Integer>> expected = reference(corpus, queries, 40, excluded);
    DenseSearcher searcher = new DenseSearcher(corpus);
    for (int threads : new int[] {1, 2, 3}) {
      List<List<DenseSearcher.Hit>> hits =
          searcher.searchAll(list, queries, 40, threads, Progress.Factory.NONE);
      for (int q = 0; q < 70; q++) {
        assertEquals(
            expected.get(q),
            hits.get(q).stream().map(DenseSearcher.Hit::row).toList(),
            "query " + q + ", threads " + threads);
      }
    }
  }

  @Test
  void mappedEmbeddingsReadWhatWasWrittenAndATruncatedFileIsNamed(@TempDir Path dir)
      throws Exception {
    DenseEmbeddings heap = random(300, 12, 31);
    List<String> ids = new ArrayList<>();
    float[][] rows = new float[300][];
    for (int i = 0; i < 300; i++) {
      ids.add(heap.docId(i));
      rows[i] = heap.vector(i);
    }
    try (EmbeddingFile f = EmbeddingFile.create(dir)) {
      f.append(Arrays.copyOfRange(rows, 0, 100));
      f.append(Arrays.copyOfRange(rows, 100, 300));
      f.finish(ids);
    }
    DenseEmbeddings mapped = EmbeddingFile.read(dir);
    assertEquals(300, mapped.size());
    assertEquals(12, mapped.dim());
    for (int i = 0; i < 300; i += 37) {
      Assertions.assertArrayEquals(heap.vector(i), mapped.vector(i));
    }
    assertEquals(
        heap.sha256(), mapped.sha256(), "the same ids and rows hash alike wherever they live");
    Path vectors = dir.resolve(EmbeddingFile.VECTORS);
    try (var ch = FileChannel.open(vectors, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 12 * 4); // one row short: a whole number of rows, still wrong
    }
    var e = Assertions.assertThrows(DatasetFormatException.class, () -> EmbeddingFile.read(dir));
    assertTrue(e.getMessage().startsWith(vectors.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("expected 300 rows of 12 float32"), e.getMessage());
  }

  @Test
  void hnswFindsAlmostAllOfTheExactTopKWithExactScoresAndIsReusedUntilItsManifestChanges(
      @TempDir Path dir) {
    DenseEmbeddings corpus = random(3000, 16, 41);
    DenseEmbeddings queryEmbeddings = random(50, 16, 42);
    float[][] queries = new float[50][];
    List<Query> list = new ArrayList<>();
    for (int q = 0; q < 50; q++) {
      queries[q] = queryEmbeddings.vector(q);
      list.add(new Query(q == 0 ? "d5" : "query" + q, ""));
    }
    var params = new HnswIndex.Parameters(16, 100, "none", 3.0);
    var outcome = new AtomicReference<HnswIndex.Outcome>();
    Path where = dir.resolve("hnsw");
    List<List<DenseSearcher.Hit>> exact =
        new DenseSearcher(corpus).searchAll(list, queries, 20, 1, Progress.Factory.NONE);
    try (HnswIndex hnsw =
        HnswIndex.openOrBuild(corpus, where, params, 2, Progress.Factory.NONE, outcome)) {
      assertEquals(HnswIndex.Outcome.BUILT, outcome.get());
      // Built on 2 threads, documents added in corpus order: numbered in the locality order.
      Assertions.assertArrayEquals(
          LocalityOrder.of(corpus, 1, Progress.Factory.NONE), hnsw.rowsInDocumentOrder());
      List<List<DenseSearcher.Hit>> approx =
          new DenseSearcher(corpus, hnsw).searchAll(list, queries, 20, 2, Progress.Factory.NONE);
      int found = 0;
      for (int q = 0; q < 50; q++) {
        var exactRows = exact.get(q).stream().map(DenseSearcher.Hit::row).toList();
        float previous = Float.POSITIVE_INFINITY;
        for (DenseSearcher.Hit h : approx.get(q)) {
          assertEquals(
              dot(queries[q], corpus.vector(h.row())), h.score(), 1e-5, "rescored exactly");
          assertTrue(h.score() <= previous, "best first");
          previous = h.score();
          found += exactRows.contains(h.row()) ? 1 : 0;
        }
        assertEquals(20, approx.get(q).size());
      }
      assertTrue(
          approx.get(0).stream().noneMatch(h -> h.row() == 5), "the query's own id is left out");
      assertTrue(found >= 0.95 * 50 * 20, "recall@20 against exact: " + found / 1000.0);
    }
    HnswIndex.openOrBuild(corpus, where, params, 2, Progress.Factory.NONE, outcome).close();
    assertEquals(HnswIndex.Outcome.REUSED, outcome.get());
    try (HnswIndex inCorpusOrder =
        HnswIndex.openOrBuild(
            corpus,
            where,
            new HnswIndex.Parameters(16, 100, "none", 3.0, "corpus"),
            2,
            Progress.Factory.NONE,
            outcome)) {
      assertEquals(HnswIndex.Outcome.REBUILT, outcome.get(), "other order: rebuilt");
      Assertions.assertArrayEquals(
          IntStream.range(0, corpus.size()).toArray(), inCorpusOrder.rowsInDocumentOrder());
    }
    HnswIndex.openOrBuild(
            corpus,
            where,
            new HnswIndex.Parameters(8, 100, "int8", 3.0),
            1,
            Progress.Factory.NONE,
            outcome)
        .close();
    assertEquals(HnswIndex.Outcome.REBUILT, outcome.get(), "other parameters: rebuilt");
    HnswIndex.openOrBuild(
            random(3000, 16, 43),
            where,
            new HnswIndex.Parameters(8, 100, "int8", 3.0),
            1,
            Progress.Factory.NONE,
            outcome)
        .close();
    assertEquals(HnswIndex.Outcome.REBUILT, outcome.get(), "other embeddings: rebuilt");
  }

  /**
   * HNSW rescores candidates from the index's own float vectors with the exact scan's arithmetic:
   * every hit's score is the exact search's score for that document bit for bit (the same floats,
   * the same dot product), with int8 graphs too, at a dimension with a tail beyond the vector
   * length (24) and at MiniLM's (384).
   */
  @Test
  void hnswScoresAreTheExactSearchsBitForBitWithFloatAndInt8Graphs(@TempDir Path dir) {
    for (int dim : new int[] {24, 384}) {
      DenseEmbeddings corpus = random(2000, dim, 45);
      DenseEmbeddings queryEmbeddings = random(20, dim, 46);
      float[][] queries =
          IntStream.range(0, 20).mapToObj(queryEmbeddings::vector).toArray(float[][]::new);
      List<Query> list = IntStream.range(0, 20).mapToObj(q -> new Query("query" + q, "")).toList();
      List<List<DenseSearcher.Hit>> everything =
          new DenseSearcher(corpus)
              .searchAll(list, queries, corpus.size(), 1, Progress.Factory.NONE);
      for (String quantize : List.of("none", "int8")) {
        var outcome = new AtomicReference<HnswIndex.Outcome>();
        try (HnswIndex hnsw =
            HnswIndex.openOrBuild(
                corpus,
                dir.resolve(quantize + dim),
                new HnswIndex.Parameters(16, 100, quantize, 2.0),
                2,
                Progress.Factory.NONE,
                outcome)) {
          List<List<DenseSearcher.Hit>> approx =
              new DenseSearcher(corpus, hnsw)
                  .searchAll(list, queries, 10, 2, Progress.Factory.NONE);
          for (int q = 0; q < 20; q++) {
            Map<Integer, Float> exactScores = new HashMap<>();
            everything.get(q).forEach(h -> exactScores.put(h.row(), h.score()));
            assertEquals(10, approx.get(q).size(), quantize);
            for (DenseSearcher.Hit h : approx.get(q)) {
              assertEquals(
                  exactScores.get(h.row()),
                  h.score(),
                  0,
                  dim + " " + quantize + " query " + q + " row " + h.row());
            }
          }
        }
      }
    }
  }

  @Test
  void anHnswIndexWithoutAWholeManifestIsRebuiltNeverRead(@TempDir Path dir) throws IOException {
    DenseEmbeddings corpus = random(500, 8, 44);
    var params = new HnswIndex.Parameters(8, 50, "none", 2.0);
    var outcome = new AtomicReference<HnswIndex.Outcome>();
    Path where = dir.resolve("hnsw");
    HnswIndex.openOrBuild(corpus, where, params, 1, Progress.Factory.NONE, outcome).close();
    Path manifest = where.resolve("hnsw.json");
    // A crash between the Lucene commit and the manifest, or a manifest cut short: rebuilt.
    Files.delete(manifest);
    HnswIndex.openOrBuild(corpus, where, params, 1, Progress.Factory.NONE, outcome).close();
    assertEquals(HnswIndex.Outcome.REBUILT, outcome.get(), "no manifest");
    String whole = Files.readString(manifest);
    Files.writeString(manifest, whole.substring(0, whole.length() / 2));
    try (HnswIndex rebuilt =
        HnswIndex.openOrBuild(corpus, where, params, 1, Progress.Factory.NONE, outcome)) {
      assertEquals(HnswIndex.Outcome.REBUILT, outcome.get(), "half a manifest");
      assertEquals(500, rebuilt.size());
    }
    assertEquals(whole, Files.readString(manifest));
    // A Lucene file lost under a whole manifest cannot be opened: rebuilt, not an error.
    try (var files = Files.list(where)) {
      for (Path f :
          files.filter(f -> f.getFileName().toString().startsWith("segments_")).toList()) {
        Files.delete(f);
      }
    }
    try (HnswIndex rebuilt =
        HnswIndex.openOrBuild(corpus, where, params, 1, Progress.Factory.NONE, outcome)) {
      assertEquals(HnswIndex.Outcome.REBUILT, outcome.get(), "no Lucene commit");
      assertEquals(500, rebuilt.size());
    }
    try (var left = Files.list(dir)) {
      assertEquals(List.of(where), left.toList(), "no temporary folder left behind");
    }
  }

  @Test
  void theVectorKernelGivesThePortableKernelsScoresAtEveryEdge() {
    // The tests run with jdk.incubator.vector, as bin/negbench does: the vector kernel is in use.
    assertTrue(DenseSearcher.kernel().startsWith("vector API"), DenseSearcher.kernel());
    Random r = new Random(5);
    for (int dim : new int[] {384, 37, 16, 3}) {
      float[][] queries = new float[9][dim];
      float[][] tile = new float[13][dim];
      for (float[][] m : new float[][][] {queries, tile}) {
        for (float[] row : m) {
          for (int i = 0; i < dim; i++) {
            row[i] = (float) r.nextGaussian();
          }
        }
      }
      // 7 queries from offset 2 (one 4-block and 3 left), 13 documents (three 4-blocks and 1 left)
      float[] vector = new float[7 * 16];
      float[] portable = new float[7 * 16];
      TileScores.INSTANCE.scores(queries, 2, 7, tile, 13, dim, vector, 16);
      new TileScores.Portable().scores(queries, 2, 7, tile, 13, dim, portable, 16);
      for (int q = 0; q < 7; q++) {
        for (int d = 0; d < 13; d++) {
          assertEquals(
              dot(queries[q + 2], tile[d]),
              vector[q * 16 + d],
              1e-4 * Math.sqrt(dim),
              "dim " + dim + " q " + q + " d " + d);
          assertEquals(portable[q * 16 + d], vector[q * 16 + d], 1e-4 * Math.sqrt(dim));
        }
      }
    }
  }
}

package dev.negbench.mine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.Parallel;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;

/**
 * Approximate dense retrieval on Lucene's HNSW graph: a Lucene index of {@link
 * KnnFloatVectorField}s (dot product on the normalised embeddings), optionally int8-quantized,
 * built once under the work folder and reused while its manifest (the embeddings' SHA-256, M, beam
 * width, quantization, Lucene version) matches, as the BM25 index is. A search asks HNSW for {@code
 * oversample x k} candidates and rescores them exactly from the float vectors (the index's own
 * memory-mapped copy of the embeddings, bit for bit), so the ranks and scores of what HNSW finds
 * are those of the exact search; what it can miss is recall. Documents are numbered in {@link
 * LocalityOrder} (order "locality", the default), near vectors at near numbers, so a graph search
 * reads its neighbours' vectors from fewer pages, or in the embeddings' order ("corpus"); each
 * carries its corpus row.
 */
public final class HnswIndex implements AutoCloseable {
  private static final String FIELD = "vector";
  private static final String ROW = "row";

  /** The document's place in {@link LocalityOrder}: the index sort. */
  private static final String PLACE = "place";

  private static final String MANIFEST = "hnsw.json";

  /** 2: documents in {@link LocalityOrder} or corpus order, as the manifest says. */
  private static final int FORMAT = 2;

  /**
   * HNSW settings: {@code m} neighbours per node, {@code beamWidth} candidates while building,
   * {@code quantize} "none" or "int8", {@code oversample}: candidates asked per hit wanted, and
   * {@code order}: "locality" (documents numbered in {@link LocalityOrder}) or "corpus".
   */
  public record Parameters(int m, int beamWidth, String quantize, double oversample, String order) {
    /** Lucene's defaults (M 16, beam 100), full floats, twice k candidates, locality order. */
    public static final Parameters DEFAULT = new Parameters(16, 100, "none", 2.0);

    /** Documents in locality order. */
    public Parameters(int m, int beamWidth, String quantize, double oversample) {
      this(m, beamWidth, quantize, oversample, "locality");
    }

    public Parameters {
      if (!order.equals("locality") && !order.equals("corpus")) {
        throw new IllegalArgumentException(
            "--hnsw-order must be locality or corpus, was '" + order + "'");
      }
      if (m < 2 || m > Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN) {
        throw new IllegalArgumentException(
            "HNSW M must be 2 to " + Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN + ", was " + m);
      }
      if (beamWidth < 1 || beamWidth > Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH) {
        throw new IllegalArgumentException(
            "HNSW beam width must be 1 to "
                + Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH
                + ", was "
                + beamWidth);
      }
      if (!quantize.equals("none") && !quantize.equals("int8")) {
        throw new IllegalArgumentException(
            "--quantize must be none or int8, was '" + quantize + "'");
      }
      if (!(oversample >= 1)) {
        throw new IllegalArgumentException(
            "HNSW oversampling must be at least 1, was " + oversample);
      }
    }

    int candidates(int k) {
      return (int) Math.min(Integer.MAX_VALUE - 1, Math.ceil(k * oversample));
    }

    KnnVectorsFormat format(int workers, ExecutorService pool) {
      return quantize.equals("int8")
          ? new Lucene104HnswScalarQuantizedVectorsFormat(
              QuantizedByteVectorValues.ScalarEncoding.UNSIGNED_BYTE, m, beamWidth, workers, pool)
          : new Lucene99HnswVectorsFormat(m, beamWidth, workers, pool);
    }
  }

  /** What {@link #openOrBuild} did. */
  public enum Outcome {
    REUSED,
    BUILT,
    REBUILT
  }

  private final FSDirectory directory;
  private final DirectoryReader reader;
  private final Parameters parameters;

  /** Lucene doc id to embedding row, read once at open. */
  private final int[] rowOfDoc;

  private HnswIndex(FSDirectory directory, Parameters parameters) throws IOException {
    this.directory = directory;
    this.reader = DirectoryReader.open(directory);
    this.parameters = parameters;
    this.rowOfDoc = new int[reader.maxDoc()];
    for (LeafReaderContext leaf : reader.leaves()) {
      NumericDocValues rows = leaf.reader().getNumericDocValues(ROW);
      for (int d = 0; d < leaf.reader().maxDoc(); d++) {
        if (rows == null || !rows.advanceExact(d)) {
          throw new IllegalStateException(
              "HNSW index "
                  + directory.getDirectory()
                  + ": document "
                  + (leaf.docBase + d)
                  + " has no row");
        }
        rowOfDoc[leaf.docBase + d] = (int) rows.longValue();
      }
    }
  }

  public Parameters parameters() {
    return parameters;
  }

  /** The corpus row of each document, in document order (for tests: the locality order). */
  int[] rowsInDocumentOrder() {
    return rowOfDoc.clone();
  }

  /** Documents in the index. */
  public int size() {
    return reader.maxDoc();
  }

  /**
   * The HNSW index of {@code corpus} in {@code dir}: opened when its manifest matches the
   * embeddings and parameters, else (re)built there, into a temporary folder moved into place, so a
   * crash never leaves a half-built index that looks whole.
   */
  public static HnswIndex openOrBuild(
      DenseEmbeddings corpus,
      Path dir,
      Parameters parameters,
      int threads,
      Progress.Factory progress,
      AtomicReference<Outcome> outcome) {
    ObjectNode wanted = manifest(corpus, parameters);
    Path manifestFile = dir.resolve(MANIFEST);
    boolean exists = Files.exists(dir);
    try {
      if (Files.isRegularFile(manifestFile)
          && wanted.equals(Json.PLAIN.readTree(manifestFile.toFile()))) {
        FSDirectory directory = FSDirectory.open(dir);
        try {
          HnswIndex reused = new HnswIndex(directory, parameters);
          outcome.set(Outcome.REUSED);
          return reused;
        } catch (IOException | RuntimeException e) {
          directory.close();
          throw e;
        }
      }
    } catch (IOException | IllegalStateException e) {
      // an unreadable manifest, or an index that cannot be opened under a whole one: rebuild
    }
    Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      AtomicFiles.deleteTree(tmp);
      Files.createDirectories(tmp);
      build(corpus, tmp, parameters, threads, progress);
      Json.write(tmp.resolve(MANIFEST), wanted);
      AtomicFiles.deleteTree(dir);
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      outcome.set(exists ? Outcome.REBUILT : Outcome.BUILT);
      return new HnswIndex(FSDirectory.open(dir), parameters);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the HNSW index " + dir, e);
    } finally {
      try {
        AtomicFiles.deleteTree(tmp);
      } catch (IOException e) {
        // a leftover temporary folder is deleted before the next build
      }
    }
  }

  /** What the index is made of: equal manifests mean it can be reused. */
  private static ObjectNode manifest(DenseEmbeddings corpus, Parameters p) {
    ObjectNode node = Json.PLAIN.createObjectNode();
    node.put("format", FORMAT);
    node.put("embeddings_sha256", corpus.sha256());
    node.put("documents", corpus.size());
    node.put("dim", corpus.dim());
    node.put("similarity", "dot_product");
    node.put("document_order", p.order());
    node.put("m", p.m());
    node.put("beam_width", p.beamWidth());
    node.put("quantize", p.quantize());
    node.put("lucene", Version.LATEST.toString());
    return node;
  }

  private static void build(
      DenseEmbeddings corpus, Path dir, Parameters p, int threads, Progress.Factory progress)
      throws IOException {
    int workers = Math.max(1, threads);
    int[] order =
        p.order().equals("locality")
            ? LocalityOrder.of(corpus, workers, progress)
            : IntStream.range(0, corpus.size()).toArray();
    int[] place = new int[order.length];
    for (int d = 0; d < order.length; d++) {
      place[order[d]] = d;
    }
    ExecutorService pool = workers > 1 ? Executors.newFixedThreadPool(workers) : null;
    KnnVectorsFormat format = p.format(workers, pool);
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            // Large segments mean fewer graphs to merge, but the buffer lives on the heap: a
            // quarter of it, at most 1 GiB (dense-search over a million vectors runs in -Xmx512m).
            .setRAMBufferSizeMB(
                Math.max(16, Math.min(1024, Runtime.getRuntime().maxMemory() / 4 / (1 << 20))))
            .setUseCompoundFile(false)
            // Documents are numbered by their place in the order, but added in corpus order: each
            // flushed segment's graph is built as its documents arrive and renumbered when the
            // segment is written sorted, not built cluster after cluster. The final merge still
            // inserts the other segments' vectors in merged order; on vectors without low-
            // dimensional structure, locality order loses recall either way (docs/results/
            // million-documents.md).
            .setIndexSort(new Sort(new SortField(PLACE, SortField.Type.LONG)))
            .setCodec(
                new Lucene104Codec() {
                  @Override
                  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                    return format;
                  }
                });
    try (FSDirectory directory = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(directory, config);
        Progress bar =
            progress.start("HNSW graph (" + p.quantize() + ", M " + p.m() + ")", corpus.size())) {
      // Documents are added on `workers` threads, each a contiguous part of the rows, each
      // building its own segments' graphs; one final merge joins them on the merge workers, in
      // place order.
      List<Integer> parts = new ArrayList<>();
      for (int t = 0; t < workers; t++) {
        parts.add(t);
      }
      Parallel.map(
          parts,
          workers,
          Progress.NONE,
          t -> {
            long from = (long) corpus.size() * t / workers;
            long to = (long) corpus.size() * (t + 1) / workers;
            try {
              for (int row = (int) from; row < to; row++) {
                Document doc = new Document();
                doc.add(
                    new KnnFloatVectorField(
                        FIELD, corpus.vector(row), VectorSimilarityFunction.DOT_PRODUCT));
                doc.add(new NumericDocValuesField(ROW, row));
                doc.add(new NumericDocValuesField(PLACE, place[row]));
                writer.addDocument(doc);
                bar.advance();
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            return t;
          });
      writer.forceMerge(1);
      writer.commit();
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /**
   * The top {@code k} of each query: HNSW's candidates, rescored exactly, the excluded row ({@code
   * excluded[i]}, or -1) left out. Ties break by corpus order, as in the exact search.
   *
   * <p>Candidates are rescored from the index's own copy of the float vectors (Lucene keeps the raw
   * floats beside an int8 graph too): the same floats as the embeddings' (the manifest ties the
   * index to their checksum), and memory the graph search has just read, where the embeddings'
   * mapping is a second 1.5 GB a million documents that every candidate would fetch cold (rescoring
   * from it took about a third of a search at a million documents). A segment whose vectors are not
   * one per document is rescored from the embeddings.
   */
  List<List<DenseSearcher.Hit>> search(
      DenseEmbeddings corpus, float[][] queries, int k, int[] excluded) {
    List<List<DenseSearcher.Hit>> out = new ArrayList<>(queries.length);
    float[] row = new float[corpus.dim()];
    List<LeafReaderContext> leaves = reader.leaves();
    // Per call: a FloatVectorValues holds a read buffer, so each searching thread has its own.
    FloatVectorValues[] stored = new FloatVectorValues[leaves.size()];
    try {
      for (int l = 0; l < stored.length; l++) {
        FloatVectorValues values = leaves.get(l).reader().getFloatVectorValues(FIELD);
        stored[l] =
            values != null && values.size() == leaves.get(l).reader().maxDoc() ? values : null;
      }
      for (int i = 0; i < queries.length; i++) {
        int want = Math.min(k, corpus.size() - (excluded[i] >= 0 ? 1 : 0));
        if (want <= 0) {
          out.add(List.of());
          continue;
        }
        int candidates =
            Math.min(corpus.size(), parameters.candidates(k) + (excluded[i] >= 0 ? 1 : 0));
        DenseSearcher.TopK best = new DenseSearcher.TopK(want);
        // Each segment's graph is asked directly (a KnnFloatVectorQuery would rewrite into a query
        // over the same hits and search again); every segment's candidates are rescored, so
        // several segments only widen the candidates.
        for (int l = 0; l < stored.length; l++) {
          LeafReaderContext leaf = leaves.get(l);
          LeafReader segment = leaf.reader();
          TopDocs top =
              segment.searchNearestVectors(
                  FIELD,
                  queries[i],
                  candidates,
                  AcceptDocs.fromLiveDocs(segment.getLiveDocs(), segment.maxDoc()),
                  Integer.MAX_VALUE);
          for (ScoreDoc sd : top.scoreDocs) {
            int r = rowOfDoc[leaf.docBase + sd.doc];
            if (r != excluded[i]) {
              float[] vector;
              if (stored[l] != null) {
                vector = stored[l].vectorValue(sd.doc); // dense: ordinal = document
              } else {
                corpus.copyRow(r, row);
                vector = row;
              }
              best.offer(r, TileScores.INSTANCE.dot(queries[i], vector));
            }
          }
        }
        out.add(best.hits());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("HNSW search failed in " + directory.getDirectory(), e);
    }
    return out;
  }

  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

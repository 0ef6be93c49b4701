package dev.negbench.mine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.Document;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.Version;

/**
 * A Lucene BM25 index of a BEIR corpus in Anserini's "flat" setting: title and text in one field
 * ({@value #CONTENTS}), analysed by {@link EnglishBm25Analyzer}. Built once and kept on disk beside
 * a {@value #MANIFEST} (corpus checksum, analyzer, BM25 parameters, Lucene version); reopened while
 * the manifest matches, rebuilt when it does not.
 *
 * <p>The index is sorted by document id and merged to one segment, so Lucene's document numbers
 * follow the ids: ties in score break by id whatever the build's thread count.
 */
public final class Bm25Index implements Closeable {
  /** Anserini's BEIR regressions: k1=0.9, b=0.4 (Lucene's own defaults are 1.2 and 0.75). */
  public static final float DEFAULT_K1 = 0.9f;

  public static final float DEFAULT_B = 0.4f;

  static final String ID = "id";
  static final String CONTENTS = "contents";
  static final String TITLE = "title";
  static final String TEXT = "text";
  static final String MANIFEST = "negbench-index.json";
  private static final int FORMAT = 1;

  private final Path dir;
  private final FSDirectory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final String[] ids;
  private final long[] idTable;
  private final BM25Similarity similarity;

  private Bm25Index(Path dir, float k1, float b) throws IOException {
    this.dir = dir;
    this.directory = FSDirectory.open(dir);
    this.reader = DirectoryReader.open(directory);
    this.similarity = new BM25Similarity(k1, b);
    this.searcher = new IndexSearcher(reader);
    searcher.setSimilarity(similarity);
    this.ids = readIds(reader);
    this.idTable = hashIds(ids);
  }

  /** BM25 parameters of an index. */
  public record Parameters(float k1, float b) {
    public static final Parameters ANSERINI = new Parameters(DEFAULT_K1, DEFAULT_B);
  }

  /** What the index was built from; two equal manifests mean the index can be reused. */
  record Manifest(String corpusSha256, String analyzer, float k1, float b, String lucene) {
    ObjectNode toJson(long documents) {
      ObjectNode node = Json.PLAIN.createObjectNode();
      node.put("format", FORMAT);
      node.put("corpus_sha256", corpusSha256);
      node.put("documents", documents);
      node.put("analyzer", analyzer);
      node.put("fields", CONTENTS + " = title + ' ' + text");
      node.put("k1", k1);
      node.put("b", b);
      node.put("lucene", lucene);
      return node;
    }

    static Manifest read(Path file) {
      try {
        var node = Json.PLAIN.readTree(file.toFile());
        if (node == null || node.path("format").asInt() != FORMAT) {
          return null;
        }
        return new Manifest(
            node.path("corpus_sha256").asText(),
            node.path("analyzer").asText(),
            (float) node.path("k1").asDouble(),
            (float) node.path("b").asDouble(),
            node.path("lucene").asText());
      } catch (IOException e) {
        return null; // unreadable manifest: rebuild
      }
    }
  }

  /**
   * The default place for a dataset's index: under {@code workDir/indexes}, named by the dataset
   * and a hash of its absolute path so that two datasets with one name never share an index.
   */
  public static Path defaultLocation(BeirDataset dataset, Path workDir) {
    String path = dataset.dir().toAbsolutePath().normalize().toString();
    String hash = AtomicFiles.sha256(path).substring(0, 10);
    return workDir.resolve("indexes").resolve(dataset.name() + "-bm25-flat-" + hash);
  }

  /** What {@link #openOrBuild} did. */
  public enum Outcome {
    REUSED,
    BUILT,
    REBUILT
  }

  /** Opens the index at {@code dir} if its manifest matches the dataset, else (re)builds it. */
  public static Bm25Index openOrBuild(
      BeirDataset dataset, Path dir, Parameters params, int threads, Progress.Factory progress) {
    return openOrBuild(dataset, dir, params, threads, progress, new AtomicReference<>());
  }

  public static Bm25Index openOrBuild(
      BeirDataset dataset,
      Path dir,
      Parameters params,
      int threads,
      Progress.Factory progress,
      AtomicReference<Outcome> outcome) {
    Manifest wanted =
        new Manifest(
            dataset.corpusChecksum(),
            EnglishBm25Analyzer.DESCRIPTION,
            params.k1(),
            params.b(),
            Version.LATEST.toString());
    try {
      Path manifestFile = dir.resolve(MANIFEST);
      boolean exists = Files.exists(dir);
      if (exists && wanted.equals(Manifest.read(manifestFile))) {
        outcome.set(Outcome.REUSED);
        return new Bm25Index(dir, params.k1(), params.b());
      }
      build(dataset, dir, wanted, threads, progress);
      outcome.set(exists ? Outcome.REBUILT : Outcome.BUILT);
      return new Bm25Index(dir, params.k1(), params.b());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open or build the BM25 index at " + dir, e);
    }
  }

  /** Builds into a temporary folder beside {@code dir}, then swaps it in: never a half index. */
  private static void build(
      BeirDataset dataset, Path dir, Manifest manifest, int threads, Progress.Factory progress)
      throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".building.");
    try {
      long documents;
      IndexWriterConfig config = new IndexWriterConfig(new EnglishBm25Analyzer());
      config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
      config.setSimilarity(new BM25Similarity(manifest.k1(), manifest.b()));
      config.setRAMBufferSizeMB(256);
      config.setIndexSort(new Sort(new SortField(ID, SortField.Type.STRING)));
      try (FSDirectory directory = FSDirectory.open(tmp);
          IndexWriter writer = new IndexWriter(directory, config);
          Progress bar = progress.start("Indexing " + dataset.name(), -1)) {
        documents = addAll(dataset, writer, Math.max(1, threads), bar);
        writer.forceMerge(1);
        writer.commit();
      }
      Json.write(tmp.resolve(MANIFEST), manifest.toJson(documents));
      if (Files.exists(dir)) {
        AtomicFiles.deleteTree(dir);
      }
      AtomicFiles.move(tmp, dir.toAbsolutePath());
      tmp = null;
    } finally {
      if (tmp != null) {
        AtomicFiles.deleteTree(tmp);
      }
    }
  }

  /** Reads the corpus on this thread and analyses documents on {@code threads} workers. */
  private static long addAll(BeirDataset dataset, IndexWriter writer, int threads, Progress bar)
      throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Semaphore inFlight = new Semaphore(threads * 256);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long count;
    try {
      count =
          dataset.forEachDocument(
              doc -> {
                if (failure.get() != null) {
                  return;
                }
                inFlight.acquireUninterruptibly();
                pool.execute(
                    () -> {
                      try {
                        writer.addDocument(toLucene(doc));
                        bar.advance();
                      } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                      } finally {
                        inFlight.release();
                      }
                    });
              });
    } finally {
      pool.shutdown();
      try {
        pool.awaitTermination(1, TimeUnit.DAYS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while indexing", e);
      }
    }
    if (failure.get() != null) {
      throw new IOException("indexing failed", failure.get());
    }
    return count;
  }

  private static org.apache.lucene.document.Document toLucene(Document doc) {
    var lucene = new org.apache.lucene.document.Document();
    lucene.add(new StringField(ID, doc.id(), Field.Store.NO));
    lucene.add(new SortedDocValuesField(ID, new BytesRef(doc.id())));
    lucene.add(new TextField(CONTENTS, doc.contents(), Field.Store.NO));
    // Stored so that later stages (triples, cross-encoder, generation) get texts by id.
    lucene.add(new StoredField(TITLE, doc.title()));
    lucene.add(new StoredField(TEXT, doc.text()));
    return lucene;
  }

  private static String[] readIds(DirectoryReader reader) throws IOException {
    String[] ids = new String[reader.maxDoc()];
    if (reader.leaves().size() != 1) {
      throw new IOException("expected a single-segment index, found " + reader.leaves().size());
    }
    LeafReader leaf = reader.leaves().get(0).reader();
    SortedDocValues values = leaf.getSortedDocValues(ID);
    for (int doc = values.nextDoc(); doc != SortedDocValues.NO_MORE_DOCS; doc = values.nextDoc()) {
      ids[doc] = values.lookupOrd(values.ordValue()).utf8ToString();
    }
    return ids;
  }

  public Path dir() {
    return dir;
  }

  public IndexSearcher searcher() {
    return searcher;
  }

  public BM25Similarity similarity() {
    return similarity;
  }

  public int size() {
    return ids.length;
  }

  /** The BEIR id of a Lucene document number. */
  public String docId(int luceneDoc) {
    return ids[luceneDoc];
  }

  /**
   * The Lucene document number of a BEIR id, or -1. An open-addressing table keyed by the id's
   * hash, each slot holding the hash beside the document number, so a probe that meets another id
   * is rejected without reading that id's string: one memory read for an id not in the corpus (a
   * query's own id, looked up for every query), one more string comparison for an id that is. This
   * sits on the mining hot path; comparing the strings of every probe cost 7% of BM25 mining at a
   * million documents, each string a random read.
   */
  public int luceneDoc(String docId) {
    int hash = mix(docId.hashCode());
    return probe(docId, hash, idTable[hash & (idTable.length - 1)]);
  }

  /**
   * {@link #luceneDoc} for each of {@code docIds}, in one pass: every id's first slot is read
   * before any is resolved, so the reads (each a random read in a table of millions) are
   * independent and the processor overlaps them, where one lookup after another waits for each in
   * turn. The miner looks up a batch of queries' own ids and positives this way.
   */
  public int[] luceneDocs(String[] docIds) {
    int mask = idTable.length - 1;
    int n = docIds.length;
    int[] hashes = new int[n];
    for (int i = 0; i < n; i++) {
      hashes[i] = mix(docIds[i].hashCode());
    }
    long[] firstEntries = new long[n];
    for (int i = 0; i < n; i++) {
      firstEntries[i] = idTable[hashes[i] & mask];
    }
    int[] docs = new int[n];
    for (int i = 0; i < n; i++) {
      docs[i] = probe(docIds[i], hashes[i], firstEntries[i]);
    }
    return docs;
  }

  /**
   * The document of {@code docId} (mixed hash {@code hash}), or -1, from its first slot's entry on.
   */
  private int probe(String docId, int hash, long firstEntry) {
    int mask = idTable.length - 1;
    long entry = firstEntry;
    for (int slot = hash & mask; entry != 0; slot = (slot + 1) & mask, entry = idTable[slot]) {
      int doc = (int) entry - 1;
      if ((int) (entry >>> 32) == hash && ids[doc].equals(docId)) {
        return doc;
      }
    }
    return -1;
  }

  /**
   * Slots hold the id's mixed hash (high 32 bits) and document number + 1 (low; 0 is empty); load
   * factor at most one half.
   */
  private static long[] hashIds(String[] ids) {
    int size = Integer.highestOneBit(Math.max(2, ids.length) * 2 - 1) << 1;
    long[] table = new long[size];
    int mask = size - 1;
    for (int doc = 0; doc < ids.length; doc++) {
      int hash = mix(ids[doc].hashCode());
      int slot = hash & mask;
      while (table[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      table[slot] = ((long) hash << 32) | (doc + 1);
    }
    return table;
  }

  /** Spreads String hash codes, whose low bits cluster for ids sharing a prefix. */
  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** The stored document for an id, or null when the corpus has none. */
  public Document document(String docId) {
    int doc = luceneDoc(docId);
    if (doc < 0) {
      return null;
    }
    try {
      StoredFields stored = reader.storedFields();
      var fields = stored.document(doc);
      return new Document(docId, fields.get(TITLE), fields.get(TEXT));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

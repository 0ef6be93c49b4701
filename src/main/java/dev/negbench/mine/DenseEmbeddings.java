package dev.negbench.mine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.model.TextEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A corpus encoded by a bi-encoder: one L2-normalised, mean-pooled embedding per document (title
 * and text joined, {@link dev.negbench.data.Document#contents()}), in corpus order.
 *
 * <p>Cached on disk as raw little-endian float32 rows ({@code NAME.f32}, documents x dim) beside a
 * JSON manifest ({@code NAME.json}: the encoder's checksum ({@link TextEncoder#checksum}), corpus
 * SHA-256, max length, dim, the document ids in row order). The cache is reused while the manifest
 * matches and the file has the size it says, else rebuilt. Both files are written to temporary
 * files and moved into place, the manifest last, so a crash leaves no cache that looks whole.
 */
public final class DenseEmbeddings {
  /** 2: one encoder checksum (weights, tokenizer, pooling, engine) instead of file checksums. */
  private static final int FORMAT = 2;

  /** Documents tokenized and length-sorted at a time: bounds memory on large corpora. */
  private static final int CHUNK = 8192;

  /** Rows per mapped buffer at most: whole rows, under a ByteBuffer's 2 GiB limit. */
  private static final long CHUNK_BYTES = 1L << 30;

  private final String[] docIds;

  /**
   * The rows, little-endian float32, {@code rowsPerChunk} rows a buffer: read-only mappings of the
   * cache file, or one heap buffer for embeddings made in memory.
   */
  private final ByteBuffer[] chunks;

  private final FloatBuffer[] floats;
  private final int rowsPerChunk;
  private final int dim;
  private final Map<String, Integer> rows;

  /** Embeddings held on the heap (a copy of {@code vectors}; tests and small corpora). */
  public DenseEmbeddings(String[] docIds, float[][] vectors) {
    this(
        docIds,
        new ByteBuffer[] {copyOf(vectors)},
        Math.max(1, vectors.length),
        vectors.length == 0 ? 0 : vectors[0].length);
    if (docIds.length != vectors.length) {
      throw new IllegalArgumentException(docIds.length + " ids for " + vectors.length + " vectors");
    }
  }

  private DenseEmbeddings(String[] docIds, ByteBuffer[] chunks, int rowsPerChunk, int dim) {
    this.docIds = docIds;
    this.chunks = chunks;
    this.floats = new FloatBuffer[chunks.length];
    for (int c = 0; c < chunks.length; c++) {
      floats[c] = chunks[c].duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }
    this.rowsPerChunk = rowsPerChunk;
    this.dim = dim;
    this.rows = new HashMap<>(docIds.length * 2);
    for (int i = 0; i < docIds.length; i++) {
      rows.put(docIds[i], i);
    }
  }

  private static ByteBuffer copyOf(float[][] vectors) {
    int dim = vectors.length == 0 ? 0 : vectors[0].length;
    ByteBuffer buf =
        ByteBuffer.allocate(Math.multiplyExact(vectors.length, dim * Float.BYTES))
            .order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer out = buf.asFloatBuffer();
    for (int r = 0; r < vectors.length; r++) {
      if (vectors[r].length != dim) {
        throw new IllegalArgumentException(
            "vector " + r + " has " + vectors[r].length + " dimensions, vector 0 has " + dim);
      }
      out.put(vectors[r]);
    }
    return buf;
  }

  /**
   * The rows of {@code vectors} (little-endian float32, {@code docIds.length} x {@code dim}),
   * mapped read-only, not read onto the heap: the operating system pages them in as searches touch
   * them. The mappings live until these embeddings are unreachable.
   *
   * @throws DatasetFormatException when the file does not hold exactly that many rows
   */
  public static DenseEmbeddings map(Path vectors, String[] docIds, int dim) {
    try (FileChannel channel = FileChannel.open(vectors, StandardOpenOption.READ)) {
      long rowBytes = (long) dim * Float.BYTES;
      long expected = docIds.length * rowBytes;
      if (channel.size() != expected) {
        throw new DatasetFormatException(
            vectors,
            0,
            "expected "
                + docIds.length
                + " rows of "
                + dim
                + " float32 ("
                + expected
                + " bytes), found "
                + channel.size()
                + " bytes (truncated or not this corpus's)");
      }
      int rowsPerChunk =
          (int) Math.max(1, Math.min(docIds.length, CHUNK_BYTES / Math.max(1, rowBytes)));
      int count = docIds.length == 0 ? 0 : (docIds.length + rowsPerChunk - 1) / rowsPerChunk;
      ByteBuffer[] chunks = new ByteBuffer[count];
      for (int c = 0; c < count; c++) {
        long from = (long) c * rowsPerChunk * rowBytes;
        chunks[c] =
            channel.map(
                FileChannel.MapMode.READ_ONLY,
                from,
                Math.min(expected - from, rowsPerChunk * rowBytes));
      }
      return new DenseEmbeddings(docIds, chunks, rowsPerChunk, dim);
    } catch (NoSuchFileException e) {
      throw new DatasetFormatException(vectors, 0, "file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot map " + vectors, e);
    }
  }

  public int size() {
    return docIds.length;
  }

  public int dim() {
    return dim;
  }

  public String docId(int row) {
    return docIds[row];
  }

  /** The row of a document id, or -1. */
  public int row(String docId) {
    Integer r = rows.get(docId);
    return r == null ? -1 : r;
  }

  private String sha256;

  /**
   * SHA-256 of the document ids (one per line) and the rows' bytes: what an index built from these
   * embeddings records, to be reused only with the same embeddings. Computed once (about a second
   * per GB of embeddings).
   */
  public synchronized String sha256() {
    if (sha256 == null) {
      MessageDigest digest = AtomicFiles.newSha256();
      for (String id : docIds) {
        digest.update((id + "\n").getBytes(StandardCharsets.UTF_8));
      }
      for (ByteBuffer chunk : chunks) {
        digest.update(chunk.duplicate());
      }
      sha256 = HexFormat.of().formatHex(digest.digest());
    }
    return sha256;
  }

  /** A copy of one row. */
  public float[] vector(int row) {
    float[] v = new float[dim];
    copyRow(row, v);
    return v;
  }

  /** Copies row {@code row} into {@code into} (length {@link #dim}). */
  public void copyRow(int row, float[] into) {
    floats[row / rowsPerChunk].get((row % rowsPerChunk) * dim, into, 0, dim);
  }

  /** What {@link #openOrBuild} did. */
  public enum Outcome {
    REUSED,
    BUILT,
    REBUILT
  }

  /** What the embeddings were made from; equal manifests mean the cache can be reused. */
  record Manifest(String name, String encoderChecksum, String corpusSha256, int maxLength) {
    ObjectNode toJson(String[] ids, int dim) {
      ObjectNode node = Json.PLAIN.createObjectNode();
      node.put("format", FORMAT);
      node.put("model", name);
      node.put("encoder_checksum", encoderChecksum);
      node.put("corpus_sha256", corpusSha256);
      node.put("max_length", maxLength);
      node.put("pooling", "mean");
      node.put("normalized", true);
      node.put("text", "title + ' ' + text");
      node.put("dtype", "float32 little-endian, documents x dim, row-major");
      node.put("documents", ids.length);
      node.put("dim", dim);
      ArrayNode array = node.putArray("doc_ids");
      for (String id : ids) {
        array.add(id);
      }
      return node;
    }

    boolean matches(JsonNode node) {
      return node != null
          && node.path("format").asInt() == FORMAT
          && node.path("encoder_checksum").asText().equals(encoderChecksum)
          && node.path("corpus_sha256").asText().equals(corpusSha256)
          && node.path("max_length").asInt() == maxLength
          && node.path("doc_ids").isArray()
          && node.path("dim").asInt() > 0;
    }
  }

  /** The encoder's identity (weights, tokenizer, pooling, engine), computed once per command. */
  public record ModelChecksums(String encoder) {
    public static ModelChecksums of(TextEncoder encoder) {
      return new ModelChecksums(encoder.checksum());
    }
  }

  /**
   * Where a dataset's embeddings go by default: {@code
   * workDir/embeddings/NAME-PATHHASH-MODEL-LEN.f32}, named by the dataset, a hash of its absolute
   * path (two datasets with one name never share a cache), the encoder's checksum and the max
   * length.
   */
  public static Path defaultLocation(
      BeirDataset dataset, Path workDir, ModelChecksums model, int maxLength) {
    String path = dataset.dir().toAbsolutePath().normalize().toString();
    String pathHash = AtomicFiles.sha256(path).substring(0, 10);
    return workDir
        .resolve("embeddings")
        .resolve(
            dataset.name()
                + "-"
                + pathHash
                + "-"
                + model.encoder().substring(0, 12)
                + "-"
                + maxLength
                + ".f32");
  }

  /** The manifest beside a {@code .f32} file: the same name ending {@code .json}. */
  public static Path manifestOf(Path file) {
    String name = file.getFileName().toString();
    String base = name.endsWith(".f32") ? name.substring(0, name.length() - 4) : name;
    return file.resolveSibling(base + ".json");
  }

  /**
   * Maps the cached embeddings at {@code file} if its manifest matches the corpus, the model and
   * the encoder's max length and the file has the size the manifest says; else encodes the corpus
   * (a progress bar per document), streaming each chunk of rows to the cache file, and maps that.
   * Either way no corpus-sized array is made on the heap. {@code name} is recorded in the manifest
   * for people reading it.
   */
  public static DenseEmbeddings openOrBuild(
      BeirDataset dataset,
      TextEncoder encoder,
      String name,
      ModelChecksums checksums,
      Path file,
      Progress.Factory progress,
      AtomicReference<Outcome> outcome) {
    Manifest wanted =
        new Manifest(name, checksums.encoder(), dataset.corpusChecksum(), encoder.maxLength());
    Path manifestFile = manifestOf(file);
    boolean exists = Files.exists(manifestFile) || Files.exists(file);
    DenseEmbeddings cached = exists ? read(file, manifestFile, wanted) : null;
    if (cached != null) {
      outcome.set(Outcome.REUSED);
      return cached;
    }
    try {
      // The old manifest goes first: from here until the new one is in place, no cache looks valid.
      Files.deleteIfExists(manifestFile);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the embedding cache " + file, ex);
    }
    List<String> ids = new ArrayList<>();
    int[] dim = {0};
    AtomicFiles.writeBytes(
        file, channel -> dim[0] = encode(dataset, encoder, progress, ids, channel));
    String[] idArray = ids.toArray(String[]::new);
    Json.write(manifestFile, wanted.toJson(idArray, dim[0]));
    outcome.set(exists ? Outcome.REBUILT : Outcome.BUILT);
    return map(file, idArray, dim[0]);
  }

  /**
   * Encodes the corpus in file order, normalised, {@value #CHUNK} documents at a time, writing each
   * chunk's rows to {@code out} as they come; fills {@code ids} and returns the dimension.
   */
  static int encode(
      BeirDataset dataset,
      TextEncoder encoder,
      Progress.Factory progress,
      List<String> ids,
      FileChannel out) {
    // A first pass validates every line and counts, so the bar has a total and bad input fails
    // before minutes of encoding.
    dataset.forEachDocument(d -> ids.add(d.id()));
    List<String> chunk = new ArrayList<>(CHUNK);
    int[] dim = {0};
    try (Progress bar = progress.start("Encoding " + dataset.name(), ids.size())) {
      dataset.forEachDocument(
          d -> {
            chunk.add(d.contents());
            if (chunk.size() == CHUNK) {
              dim[0] = flush(encoder, chunk, out, bar);
            }
          });
      if (!chunk.isEmpty()) {
        dim[0] = flush(encoder, chunk, out, bar);
      }
    }
    return dim[0];
  }

  private static int flush(TextEncoder encoder, List<String> texts, FileChannel out, Progress bar) {
    float[][] rows = encoder.encode(texts, true, bar);
    texts.clear();
    try {
      writeRows(rows, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write embeddings", e);
    }
    return rows.length == 0 ? 0 : rows[0].length;
  }

  /** Appends rows to {@code out} as little-endian float32. */
  static void writeRows(float[][] rows, FileChannel out) throws IOException {
    if (rows.length == 0) {
      return;
    }
    int dim = rows[0].length;
    int perBuffer = Math.max(1, (1 << 20) / Math.max(1, dim * Float.BYTES));
    ByteBuffer buf =
        ByteBuffer.allocate(perBuffer * dim * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < rows.length; ) {
      buf.clear();
      var floats = buf.asFloatBuffer();
      int n = Math.min(perBuffer, rows.length - r);
      for (int i = 0; i < n; i++) {
        floats.put(rows[r + i]);
      }
      buf.limit(n * dim * Float.BYTES);
      while (buf.hasRemaining()) {
        out.write(buf);
      }
      r += n;
    }
  }

  /**
   * The cached embeddings when the manifest matches and the file has its size; else null (rebuild).
   */
  private static DenseEmbeddings read(Path file, Path manifestFile, Manifest wanted) {
    JsonNode node;
    try {
      node = Json.PLAIN.readTree(manifestFile.toFile());
    } catch (IOException e) {
      return null; // missing or unreadable manifest: rebuild
    }
    if (!wanted.matches(node)) {
      return null;
    }
    int dim = node.path("dim").asInt();
    String[] ids = new String[node.path("doc_ids").size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = node.path("doc_ids").get(i).asText();
    }
    try {
      return map(file, ids, dim);
    } catch (DatasetFormatException e) {
      return null; // missing, truncated or not the file the manifest describes: rebuild
    }
  }
}

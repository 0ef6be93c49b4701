package dev.negbench.mine;

import dev.negbench.data.Document;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * A corpus encoded by a bi-encoder: one L2-normalised, mean-pooled embedding per document (title
 * and text joined, {@link Document#contents()}), in corpus order, looked up by row or document id.
 *
 * <p>The rows are raw little-endian float32, documents x dim, row-major: {@link #writeRows} writes
 * that layout and {@link #map} maps a file of it without reading it onto the heap. {@link
 * EmbeddingCache} keeps a corpus's embeddings on disk, {@link EmbeddingFile} a stage's.
 */
public final class DenseEmbeddings {
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

  /** {@link #sha256}, once computed. */
  private String sha256;

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
}

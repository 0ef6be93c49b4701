package dev.negbench.mine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.model.TextEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A corpus encoded by a bi-encoder: one L2-normalised, mean-pooled embedding per document (title
 * and text joined, {@link dev.negbench.data.Document#contents()}), in corpus order.
 *
 * <p>Cached on disk as raw little-endian float32 rows ({@code NAME.f32}, documents x dim) beside a
 * JSON manifest ({@code NAME.json}: the encoder's checksum ({@link TextEncoder#checksum}), corpus SHA-256, max length, dim,
 * the document ids in row order). The cache is reused while the manifest matches and the file has
 * the size it says, else rebuilt. Both files are written to temporary files and moved into place,
 * the manifest last, so a crash leaves no cache that looks whole.
 */
public final class DenseEmbeddings {
  /** 2: one encoder checksum (weights, tokenizer, pooling, engine) instead of file checksums. */
  private static final int FORMAT = 2;
  /** Documents tokenized and length-sorted at a time: bounds memory on large corpora. */
  private static final int CHUNK = 8192;

  private final String[] docIds;
  private final float[][] vectors;
  private final Map<String, Integer> rows;

  public DenseEmbeddings(String[] docIds, float[][] vectors) {
    if (docIds.length != vectors.length) {
      throw new IllegalArgumentException(docIds.length + " ids for " + vectors.length + " vectors");
    }
    this.docIds = docIds;
    this.vectors = vectors;
    this.rows = new HashMap<>(docIds.length * 2);
    for (int i = 0; i < docIds.length; i++) {
      rows.put(docIds[i], i);
    }
  }

  public int size() {
    return docIds.length;
  }

  public int dim() {
    return vectors.length == 0 ? 0 : vectors[0].length;
  }

  public String docId(int row) {
    return docIds[row];
  }

  /** The row of a document id, or -1. */
  public int row(String docId) {
    Integer r = rows.get(docId);
    return r == null ? -1 : r;
  }

  public float[] vector(int row) {
    return vectors[row];
  }

  float[][] vectors() {
    return vectors;
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
   * Where a dataset's embeddings go by default: {@code workDir/embeddings/NAME-PATHHASH-MODEL-LEN.f32},
   * named by the dataset, a hash of its absolute path (two datasets with one name never share a
   * cache), the encoder's checksum and the max length.
   */
  public static Path defaultLocation(BeirDataset dataset, Path workDir, ModelChecksums model, int maxLength) {
    String path = dataset.dir().toAbsolutePath().normalize().toString();
    String pathHash = AtomicFiles.sha256(path).substring(0, 10);
    return workDir
        .resolve("embeddings")
        .resolve(dataset.name() + "-" + pathHash + "-" + model.encoder().substring(0, 12) + "-" + maxLength + ".f32");
  }

  /** The manifest beside a {@code .f32} file: the same name ending {@code .json}. */
  public static Path manifestOf(Path file) {
    String name = file.getFileName().toString();
    String base = name.endsWith(".f32") ? name.substring(0, name.length() - 4) : name;
    return file.resolveSibling(base + ".json");
  }

  /**
   * Reads the cached embeddings at {@code file} if its manifest matches the corpus, the model and
   * the encoder's max length; else encodes the corpus (a progress bar per document) and writes the
   * cache. {@code name} is recorded in the manifest for people reading it.
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
    DenseEmbeddings built = encode(dataset, encoder, progress);
    write(file, manifestFile, wanted, built);
    outcome.set(exists ? Outcome.REBUILT : Outcome.BUILT);
    return built;
  }

  /** Encodes the corpus without caching: documents in file order, normalised. */
  public static DenseEmbeddings encode(BeirDataset dataset, TextEncoder encoder, Progress.Factory progress) {
    // A first pass validates every line and counts, so the bar has a total and bad input fails
    // before minutes of encoding.
    List<String> ids = new ArrayList<>();
    dataset.forEachDocument(d -> ids.add(d.id()));
    float[][] vectors = new float[ids.size()][];
    List<String> chunk = new ArrayList<>(CHUNK);
    int[] filled = {0};
    try (Progress bar = progress.start("Encoding " + dataset.name(), ids.size())) {
      dataset.forEachDocument(
          d -> {
            chunk.add(d.contents());
            if (chunk.size() == CHUNK) {
              filled[0] = flush(encoder, chunk, vectors, filled[0], bar);
            }
          });
      flush(encoder, chunk, vectors, filled[0], bar);
    }
    return new DenseEmbeddings(ids.toArray(String[]::new), vectors);
  }

  private static int flush(TextEncoder encoder, List<String> texts, float[][] into, int at, Progress bar) {
    float[][] out = encoder.encode(texts, true, bar);
    System.arraycopy(out, 0, into, at, out.length);
    texts.clear();
    return at + out.length;
  }

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
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() != (long) ids.length * dim * Float.BYTES) {
        return null; // not the file the manifest describes: rebuild
      }
      float[][] vectors = new float[ids.length][dim];
      ByteBuffer buf = ByteBuffer.allocate(Math.max(dim * Float.BYTES, 1 << 20) / (dim * Float.BYTES) * dim * Float.BYTES)
          .order(ByteOrder.LITTLE_ENDIAN);
      int row = 0;
      while (row < ids.length) {
        buf.clear();
        int want = (int) Math.min(buf.capacity(), (long) (ids.length - row) * dim * Float.BYTES);
        buf.limit(want);
        while (buf.hasRemaining()) {
          if (channel.read(buf) < 0) {
            return null;
          }
        }
        buf.flip();
        var floats = buf.asFloatBuffer();
        while (floats.hasRemaining()) {
          floats.get(vectors[row++]);
        }
      }
      return new DenseEmbeddings(ids, vectors);
    } catch (IOException e) {
      return null; // missing or unreadable vectors: rebuild
    }
  }

  private static void write(Path file, Path manifestFile, Manifest manifest, DenseEmbeddings e) {
    try {
      // The old manifest goes first: from here until the new one is in place, no cache looks valid.
      Files.deleteIfExists(manifestFile);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the embedding cache " + file, ex);
    }
    int dim = e.dim();
    AtomicFiles.writeBytes(
        file,
        channel -> {
          ByteBuffer buf = ByteBuffer.allocate(Math.max(1, dim) * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
          for (float[] v : e.vectors) {
            buf.clear();
            buf.asFloatBuffer().put(v);
            while (buf.hasRemaining()) {
              channel.write(buf);
            }
          }
        });
    Json.write(manifestFile, manifest.toJson(e.docIds, dim));
  }

}

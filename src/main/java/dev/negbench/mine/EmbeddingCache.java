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
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A corpus's {@link DenseEmbeddings} cached on disk: raw little-endian float32 rows ({@code
 * NAME.f32}, documents x dim) beside a JSON manifest ({@code NAME.json}: the encoder's checksum
 * ({@link TextEncoder#checksum}), corpus SHA-256, max length, dim, the document ids in row order).
 * The cache is reused while the manifest matches and the file has the size it says, else rebuilt.
 * Both files are written to temporary files and moved into place, the manifest last, so a crash
 * leaves no cache that looks whole.
 */
public final class EmbeddingCache {
  /** 2: one encoder checksum (weights, tokenizer, pooling, engine) instead of file checksums. */
  private static final int FORMAT = 2;

  /** Documents tokenized and length-sorted at a time: bounds memory on large corpora. */
  private static final int CHUNK = 8192;

  private EmbeddingCache() {}

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
    return DenseEmbeddings.map(file, idArray, dim[0]);
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
      DenseEmbeddings.writeRows(rows, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write embeddings", e);
    }
    return rows.length == 0 ? 0 : rows[0].length;
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
      return DenseEmbeddings.map(file, ids, dim);
    } catch (DatasetFormatException e) {
      return null; // missing, truncated or not the file the manifest describes: rebuild
    }
  }
}

package dev.negbench.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (the Rust tokenizers library through DJL), so that ids
 * equal those Python produces. Pairs come out as {@code [CLS] query [SEP] passage [SEP]} with type
 * ids 0 then 1 (the file's own template), truncated longest-first to {@code maxLength} tokens and
 * never padded: {@link PaddedBatch} pads each batch to its own longest member.
 */
public final class TextTokenizer implements AutoCloseable {
  static {
    // The native library ships inside the tokenizers jar; offline, DJL never tries to download one.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final long maxTokenId;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, long maxTokenId) {
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
    this.maxTokenId = maxTokenId;
  }

  /**
   * Loads {@code tokenizer.json}; a missing or unreadable file is a {@link DatasetFormatException}.
   */
  public static TextTokenizer load(Path file, int maxLength) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("max length must be at least 2 tokens, was " + maxLength);
    }
    if (!Files.isRegularFile(file)) {
      throw new DatasetFormatException(
          file, 0, "file not found; expected a Hugging Face tokenizer.json");
    }
    long maxTokenId = maxTokenId(file);
    // Our settings replace the file's: all-MiniLM-L6-v2's tokenizer.json pads and truncates to
    // 128, which would silently cut passages. modelMaxLength too, else DJL caps maxLength at 512.
    Map<String, String> options =
        Map.of(
            "addSpecialTokens", "true",
            "padding", "false",
            "truncation", "longest_first",
            "maxLength", Integer.toString(maxLength),
            "modelMaxLength", Integer.toString(maxLength));
    try {
      return new TextTokenizer(
          HuggingFaceTokenizer.newInstance(file, options), maxLength, maxTokenId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new DatasetFormatException(
          file, 0, "expected a Hugging Face tokenizer.json: " + e.getMessage(), e);
    }
  }

  /** {@code [CLS] text [SEP]}, truncated to the max length. */
  public Encoding encode(String text) {
    return convert(tokenizer.encode(text, true, false));
  }

  /** {@code [CLS] query [SEP] passage [SEP]}, the longer of the two truncated first. */
  public Encoding encode(String query, String passage) {
    return convert(tokenizer.encode(query, passage, true, false));
  }

  public int maxLength() {
    return maxLength;
  }

  /** The largest id the tokenizer can produce (vocabulary and added tokens). */
  public long maxTokenId() {
    return maxTokenId;
  }

  private static Encoding convert(ai.djl.huggingface.tokenizers.Encoding e) {
    return new Encoding(e.getIds(), e.getTypeIds(), e.getAttentionMask());
  }

  /**
   * Reads the vocabulary from the JSON: {@code model.vocab} is a token-to-id map (WordPiece, BPE)
   * or a list of [token, score] whose index is the id (Unigram); added tokens carry their own ids.
   */
  private static long maxTokenId(Path file) {
    JsonNode root;
    try {
      root = Json.PLAIN.readTree(file.toFile());
    } catch (IOException e) {
      throw new DatasetFormatException(
          file, 0, "expected a Hugging Face tokenizer.json: " + e.getMessage(), e);
    }
    JsonNode vocab = root == null ? null : root.path("model").get("vocab");
    if (vocab == null || !(vocab.isObject() || vocab.isArray())) {
      throw new DatasetFormatException(
          file, 0, "expected a Hugging Face tokenizer.json with a \"model.vocab\"");
    }
    long max = vocab.isArray() ? vocab.size() - 1 : -1;
    if (vocab.isObject()) {
      for (JsonNode id : vocab) {
        max = Math.max(max, id.asLong());
      }
    }
    for (JsonNode added : root.path("added_tokens")) {
      max = Math.max(max, added.path("id").asLong());
    }
    return max;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}

package dev.negbench.model;

/**
 * One tokenized input, unpadded: token ids, token type ids (0 for the query or single text, 1 for
 * the passage of a pair) and the attention mask (all ones until a batch pads it).
 */
public record Encoding(long[] ids, long[] typeIds, long[] mask) {
  public int length() {
    return ids.length;
  }
}

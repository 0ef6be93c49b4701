package dev.negbench.data;

/**
 * A hard negative of one query: the document, its rank in the miner's candidate list (1-based; 0
 * for generated passages, which have none), the source's score and, for passages that are not in
 * the corpus (LLM-generated ones), their text. Mined negatives leave {@code text} null and are
 * looked up by {@code docId}; generated ones carry an id of their own ({@code gen:...}) and the
 * text.
 */
public record Negative(String docId, int rank, double score, String text) {
  /** A negative from the corpus, looked up by id. */
  public Negative(String docId, int rank, double score) {
    this(docId, rank, score, null);
  }

  /** Whether this passage is carried inline rather than looked up in the corpus. */
  public boolean inline() {
    return text != null;
  }
}

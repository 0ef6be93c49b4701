package dev.negbench.data;

/** A corpus passage as BEIR stores it: id, optional title (empty when absent) and text. */
public record Document(String id, String title, String text) {
  /**
   * Title and text joined by one space, the single field Anserini's BEIR "flat" indexes and
   * sentence-transformers' BEIR evaluation encode. A document without a title is its text alone.
   */
  public String contents() {
    return title.isEmpty() ? text : title + " " + text;
  }
}

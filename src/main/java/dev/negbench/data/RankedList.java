package dev.negbench.data;

/**
 * The hits retrieved for one query, in the order they were written: parallel arrays of document ids
 * and scores. Kept as arrays rather than a list of records because evaluation reads millions of
 * hits.
 */
public record RankedList(String[] docIds, double[] scores) {
  public RankedList {
    if (docIds.length != scores.length) {
      throw new IllegalArgumentException("docIds and scores differ in length");
    }
  }

  public int size() {
    return docIds.length;
  }
}

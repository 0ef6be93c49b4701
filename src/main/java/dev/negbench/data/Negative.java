package dev.negbench.data;

/**
 * A hard negative of one query: the document, its rank in the miner's candidate list (1-based; 0
 * for generated passages, which have none) and the miner's score.
 */
public record Negative(String docId, int rank, double score) {}

package dev.negbench.data;

import java.util.List;

/**
 * One line of a negatives file: a training query, the ids of its positive passages and its hard
 * negatives. Every negative source (BM25, cross-encoder, dense, LLM) writes this one schema, so
 * training reads mined and generated negatives alike.
 */
public record HardNegatives(
    String queryId, String query, List<String> positiveIds, List<Negative> negatives) {}

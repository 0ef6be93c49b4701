package dev.negbench.data;

/** One line of a TREC run file: {@code qid Q0 docid rank score tag}. Ranks start at 1. */
public record RunEntry(String queryId, String docId, int rank, double score, String tag) {}

package dev.negbench.data;

/** A (query, positive, negative) training triple as texts, the row sentence-transformers reads. */
public record Triple(String query, String positive, String negative) {}

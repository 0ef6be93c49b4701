package dev.negbench.model;

/** A (query, passage) pair for a cross-encoder. */
public record QueryPassage(String query, String passage) {}

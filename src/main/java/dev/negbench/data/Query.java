package dev.negbench.data;

/** A BEIR query: id and text. */
public record Query(String id, String text) {}

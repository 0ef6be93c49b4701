package dev.negbench.model;

import java.util.Locale;

/** How token states become one vector: sentence-transformers' mean pooling or the [CLS] state. */
public enum Pooling {
  MEAN,
  CLS;

  public static Pooling parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "mean" -> MEAN;
      case "cls" -> CLS;
      default -> throw new IllegalArgumentException("pooling must be mean or cls, was " + name);
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

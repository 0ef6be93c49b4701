package dev.negbench.archfixture.report;

import dev.negbench.archfixture.mine.Miner;

/** Breaks the layering on purpose, for {@code ArchitectureTest}: a report that calls a miner. */
public final class Renderer {
  public static int render() {
    return Miner.mine();
  }
}

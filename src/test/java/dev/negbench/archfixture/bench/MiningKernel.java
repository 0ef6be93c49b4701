package dev.negbench.archfixture.bench;

import dev.negbench.archfixture.mine.Miner;

/** Keeps the layering, for {@code ArchitectureTest}: a benchmark may call a miner. */
public final class MiningKernel {
  public static int measure() {
    return Miner.mine();
  }
}

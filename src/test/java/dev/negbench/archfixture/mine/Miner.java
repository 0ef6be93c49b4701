package dev.negbench.archfixture.mine;

/**
 * A stand-in miner for {@code ArchitectureTest}: the report fixture must not use it, a benchmark
 * may.
 */
public final class Miner {
  public static int mine() {
    return 1;
  }
}

package dev.negbench.bench;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.SyntheticDataset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmarks' embedded default: a synthetic BEIR dataset generated on first use under the
 * system temporary folder and reused by later forks (the generator is deterministic, and the BM25
 * index beside it is reused while its manifest matches).
 */
final class SyntheticFixture {
  private SyntheticFixture() {}

  static Path root() {
    return Path.of(System.getProperty("java.io.tmpdir"), "negbench-jmh");
  }

  static BeirDataset dataset(int docs, int queries, long seed) {
    Path dir = root().resolve("synthetic-" + docs + "-" + queries + "-" + seed);
    if (!Files.isRegularFile(dir.resolve(BeirDataset.SYNTHETIC_MARKER))) {
      SyntheticDataset.write(new SyntheticDataset.Settings(docs, queries, seed), dir);
    }
    return BeirDataset.open(dir);
  }
}

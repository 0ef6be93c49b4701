package dev.negbench.bench;

import dev.negbench.data.BeirDataset;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Progress;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.EmbeddingCache;
import dev.negbench.model.Encoders;
import dev.negbench.model.TextEncoder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes the embedding cache {@code negbench dense-search} would build for a dataset and the
 * built-in all-MiniLM-L6-v2, but with {@link ClusteredVectors} in place of the model's vectors: the
 * manifest names the real encoder's checksum, so {@code dense-search --model minilm} reuses the
 * cache and only encodes its queries. For measuring search at corpus sizes this machine cannot
 * encode (1,000,000 documents at about 16 documents/s would take a day): the figures it gives are
 * the search's costs, not retrieval quality.
 *
 * <pre>java -cp ... dev.negbench.bench.ClusteredEmbeddingCache DATASET WORK_DIR</pre>
 */
public final class ClusteredEmbeddingCache {
  private ClusteredEmbeddingCache() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: ClusteredEmbeddingCache DATASET WORK_DIR");
      System.exit(2);
    }
    // On a thread with a 16 MiB stack: opening the model (ONNX Runtime, the native tokenizer) on
    // the main thread's 1 MiB overflowed it here when run from the test classpath, and the JVM
    // died of SIGSEGV within a second, with no message (the kernels' forks take -Xss16m for the
    // same reason).
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread worker =
        new Thread(
            null,
            () -> {
              try {
                write(args);
              } catch (RuntimeException | Error e) {
                failure.set(e);
              }
            },
            "clustered-embedding-cache",
            16L << 20);
    worker.start();
    worker.join();
    if (failure.get() != null) {
      System.err.println("ClusteredEmbeddingCache: " + failure.get());
      System.exit(failure.get() instanceof DatasetFormatException ? 2 : 1);
    }
  }

  private static void write(String[] args) {
    BeirDataset dataset = BeirDataset.open(Path.of(args[0]));
    Path workDir = Path.of(args[1]);
    try (TextEncoder real = Encoders.open("minilm", 256, 64, 1)) {
      ClusteredVectors.Generator vectors = new ClusteredVectors.Generator(384, 7);
      TextEncoder clustered =
          new TextEncoder() {
            @Override
            public float[][] encode(List<String> texts, boolean normalize, Progress progress) {
              float[][] out = new float[texts.size()][];
              for (int i = 0; i < out.length; i++) {
                out[i] = vectors.next();
              }
              progress.advance(out.length);
              return out;
            }

            @Override
            public int maxLength() {
              return real.maxLength();
            }

            @Override
            public String checksum() {
              return real.checksum();
            }

            @Override
            public void close() {}
          };
      var checksums = EmbeddingCache.ModelChecksums.of(clustered);
      Path file =
          EmbeddingCache.defaultLocation(dataset, workDir, checksums, clustered.maxLength());
      AtomicReference<EmbeddingCache.Outcome> outcome = new AtomicReference<>();
      DenseEmbeddings e =
          EmbeddingCache.openOrBuild(
              dataset, clustered, "minilm", checksums, file, Progress.Factory.NONE, outcome);
      System.out.println(
          file
              + ": "
              + outcome.get()
              + ", "
              + e.size()
              + " x "
              + e.dim()
              + " (clustered synthetic vectors, not the model's)");
    }
  }
}

package dev.negbench.generate;

import dev.negbench.data.BeirDataset;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** Helpers of the generation tests here and in {@code cli}: replicas that die, files that grow. */
public final class GenerationFixtures {
  private GenerationFixtures() {}

  /**
   * A synthetic BEIR dataset in {@code dir} whose train split has exactly {@code train} queries
   * (one query in five is held out for test).
   */
  public static BeirDataset withTrainQueries(Path dir, int train) {
    BeirDataset ds = GenerationTest.synthetic(dir, train + train / 4);
    int made = ds.qrels("train").queryCount();
    if (made != train) {
      throw new IllegalStateException("asked for " + train + " train queries, got " + made);
    }
    return ds;
  }

  /** Complete lines in a file that is being appended to (0 when it does not exist yet). */
  public static long lineCount(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    long n = 0;
    for (byte b : Files.readAllBytes(file)) {
      if (b == '\n') {
        n++;
      }
    }
    return n;
  }

  /** A URL where nothing listens: a port bound, then closed. */
  public static URI refusingEndpoint() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort() + "/v1");
    }
  }

  /**
   * Closes {@code replicas} (open connections dropped) once {@code cache} holds {@code queries}
   * finished queries; completes with the {@link System#nanoTime} of the kill.
   */
  public static CompletableFuture<Long> killAfter(Path cache, int queries, Simulator... replicas) {
    CompletableFuture<Long> killed = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                while (lineCount(cache) < queries) {
                  Thread.sleep(1);
                }
              } catch (IOException | InterruptedException e) {
                killed.completeExceptionally(e);
              } finally {
                for (Simulator s : replicas) {
                  s.close();
                }
                killed.complete(System.nanoTime());
              }
            });
    return killed;
  }
}

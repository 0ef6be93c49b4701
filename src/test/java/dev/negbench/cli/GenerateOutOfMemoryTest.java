package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.generate.GenerationFixtures;
import dev.negbench.generate.GenerationOutcome;
import dev.negbench.generate.SimProfile;
import dev.negbench.generate.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate} in a JVM whose heap is too small for its work exits 1 within a minute with a
 * message that names the heap setting ({@link OutOfMemoryExit}), instead of hanging once the HTTP
 * client's selector thread has died; the same command rerun with a larger heap resumes from the
 * cache, asking the server only for the pairs the cache lacks.
 */
class GenerateOutOfMemoryTest {
  @TempDir Path tmp;

  @Test
  void tooSmallAHeapExitsOneNamingTheHeapAndARerunResumes() throws Exception {
    int pairs = 1500;
    Path data = tmp.resolve("data");
    GenerationFixtures.withTrainQueries(data, pairs);
    Path out = tmp.resolve("gen.jsonl");
    Path cache = GenerationOutcome.defaultCacheFile(out);
    Path stderr = tmp.resolve("stderr.txt");
    try (Simulator sim = Simulator.start(SimProfile.instant())) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "generate",
                  "-q",
                  "--dataset=" + data,
                  "--split=train",
                  "--endpoint=" + sim.baseUrl(),
                  "--generator=test/gen-model",
                  "--out=" + out,
                  "--concurrency=16",
                  "--positives=first"));
      Process child = CliTest.child(HEAP, stderr, args);
      boolean ended = child.waitFor(60, TimeUnit.SECONDS);
      if (!ended) {
        child.destroyForcibly();
      }
      String err = Files.readString(stderr);
      assertTrue(ended, "still running after 60 s: " + err);
      assertEquals(1, child.exitValue(), err);
      assertTrue(err.contains("negbench: out of memory"), err);
      assertTrue(err.contains("NEGBENCH_JAVA_OPTS=-Xmx"), err);
      assertFalse(Files.exists(out), "no output from a run that did not finish");
      long before = GenerationFixtures.lineCount(cache);
      assertTrue(before > 0 && before < pairs, before + " pairs cached before it ran out");

      long asked = sim.requests();
      CliTest.Outcome rerun = CliTest.run(args.toArray(String[]::new));
      assertEquals(0, rerun.code(), rerun.err());
      assertEquals(pairs, GenerationFixtures.lineCount(out));
      long askedNow = sim.requests() - asked;
      assertTrue(
          askedNow >= pairs - before && askedNow <= (pairs - before) * 1.05 + 5,
          "the rerun asked " + askedNow + " for " + (pairs - before) + " uncached pairs");
    }
  }

  /** Enough for the JVM and the command to start, too little for this many pairs. */
  private static final String HEAP = "-Xmx24m";
}

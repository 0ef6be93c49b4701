package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.generate.GenerationFixtures;
import dev.negbench.generate.SimProfile;
import dev.negbench.generate.Simulator;
import dev.negbench.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 streams in flight at once: {@code generate --concurrency 1000} in a JVM of its own with a
 * 128 MiB heap against the simulator, each request held 5 s before its first token so that all of
 * them are open together. Every query is asked once and answered once.
 */
class GenerateThousandStreamsTest {
  static final int STREAMS = 1000;

  /** The client's heap: the bound the test holds it to. */
  static final String HEAP = "-Xmx128m";

  @TempDir Path tmp;

  @Test
  void aThousandConcurrentStreamsAreEachAnsweredOnceInABoundedHeap() throws Exception {
    Path data = tmp.resolve("data");
    Set<String> train =
        GenerationFixtures.withTrainQueries(data, STREAMS).qrels("train").queryIds();
    Path out = tmp.resolve("gen.jsonl");
    Path err = tmp.resolve("child.err");
    try (Simulator server = Simulator.start(SimProfile.instant().withTimings(5000, 0))) {
      List<String> args =
          List.of(
              "generate",
              "-q",
              "--dataset=" + data,
              "--split=train",
              "--endpoint=" + server.baseUrl(),
              "--generator=test/gen-model",
              "--num-negatives=1",
              "--out=" + out,
              "--concurrency=" + STREAMS,
              "--positives=first"); // one stream per query
      Process child = CliTest.child(HEAP, err, args);
      assertTrue(child.waitFor(120, TimeUnit.SECONDS), "still running after 120 s");
      assertEquals(0, child.exitValue(), Files.readString(err));
      assertEquals(STREAMS, server.requests(), "one request per query, none retried");
      assertEquals(STREAMS, server.peakInFlight(), "all of them open at once");
      assertEquals(STREAMS, server.promptCounts().size());
      assertTrue(
          server.promptCounts().values().stream().allMatch(n -> n == 1), "each prompt asked once");
    }
    Set<String> answered = new HashSet<>();
    for (String l : Files.readAllLines(out)) {
      JsonNode row = Json.PLAIN.readTree(l);
      assertTrue(
          answered.add(row.get("query_id").asText()), "answered twice: " + row.get("query_id"));
      assertEquals("accepted", row.get("status").asText(), l);
      assertEquals(1, row.get("attempt_count").asInt());
    }
    assertEquals(train, answered);
  }
}

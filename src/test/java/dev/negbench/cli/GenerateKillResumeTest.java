package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.generate.GenerationFixtures;
import dev.negbench.generate.SimProfile;
import dev.negbench.generate.Simulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance run: 1,000 queries against the simulator with every fault enabled, the generating
 * process killed (kill -9) in the middle, then resumed: every query ends accepted, rejected with a
 * reason, or failed after its last attempt; none lost, none duplicated.
 */
class GenerateKillResumeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void killedMidRunThenResumedLosesAndDuplicatesNothing() throws Exception {
    Path data = tmp.resolve("data");
    Set<String> trainQueries = GenerationFixtures.withTrainQueries(data, 1000).qrels("train").queryIds();
    Path out = tmp.resolve("gen.jsonl");
    Path cache = Path.of(out + ".cache.jsonl");
    SimProfile sim =
        SimProfile.instant()
            .withTimings(1, 0.15) // small think time, so that the kill lands mid-run
            .withFaults(new SimProfile.Faults(0.08, 5, 0.06, 0.05, 3, 0.06, 0.05, 0.04, 0.05))
            .withQuirks(new SimProfile.Quirks(true, true, true));
    Set<String> keysBefore;
    try (Simulator server = Simulator.start(sim)) {
      List<String> args =
          List.of(
              "generate", "-q", "--dataset=" + data, "--split=train", "--endpoint=" + server.baseUrl(), "--generator=test/gen-model",
              "--out=" + out, "--concurrency=8", "--backoff-ms=1", "--backoff-cap-ms=20");
      Process child = CliTest.child("-Xmx512m", tmp.resolve("child.err"), args);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (GenerationFixtures.lineCount(cache) < 250) {
        assertTrue(child.isAlive(), "the child finished or died before the kill: " + Files.readString(tmp.resolve("child.err")));
        assertTrue(System.nanoTime() < deadline, "no progress from the child");
        Thread.sleep(20);
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
      assertTrue(child.waitFor(20, TimeUnit.SECONDS));
      long done = GenerationFixtures.lineCount(cache);
      assertTrue(done < 1000, "killed mid-run, not after: " + done);
      assertTrue(!Files.exists(out), "the output is written only at the end");
      keysBefore = keys(cache);
      // Whether or not the kill tore a line, simulate a write torn mid-line: resume must repair it.
      Files.writeString(cache, "{\"query_id\":\"torn", StandardOpenOption.APPEND);

      CliTest.Outcome resumed = CliTest.run(args.toArray(String[]::new));
      assertEquals(0, resumed.code(), resumed.err());
    }
    // None lost, none duplicated: one line per train query, in the output and in the cache.
    List<String> outLines = Files.readAllLines(out);
    assertEquals(1000, outLines.size());
    Set<String> seen = new HashSet<>();
    Map<String, Integer> statuses = new HashMap<>();
    for (String l : outLines) {
      JsonNode row = JSON.readTree(l);
      String qid = row.get("query_id").asText();
      assertTrue(seen.add(qid), "duplicated " + qid);
      String status = row.get("status").asText();
      statuses.merge(status, 1, Integer::sum);
      switch (status) {
        case "accepted" -> assertTrue(row.get("negatives").size() > 0);
        case "rejected" -> assertTrue(row.get("reason").asText().length() > 0 && row.get("negatives").isEmpty());
        case "failed" -> assertEquals(4, row.get("attempt_count").asInt(), "failed only after the last attempt: " + l);
        default -> throw new AssertionError("status " + status);
      }
      for (JsonNode r : row.get("rejected")) {
        assertTrue(r.get("reason").asText().length() > 0);
      }
    }
    assertEquals(trainQueries, seen);
    List<String> cacheLines = Files.readAllLines(cache);
    assertEquals(1000, cacheLines.size(), "the torn line was cut and nothing written twice");
    Set<String> keysAfter = keys(cache);
    assertEquals(1000, keysAfter.size());
    assertTrue(keysAfter.containsAll(keysBefore), "work finished before the kill was kept");
    System.err.println("GenerateKillResumeTest: killed after " + keysBefore.size() + " finished queries; after resume " + statuses);
    assertTrue(statuses.getOrDefault("accepted", 0) > 800, statuses.toString());
    assertEquals(1000, NegativesJsonl.read(out).size());
    JsonNode summary = JSON.readTree(Files.readString(Path.of(out + ".summary.json")));
    assertEquals(1000 - keysBefore.size(), summary.get("generated_now").asInt());
    assertTrue(summary.get("simulated").asBoolean());
    assertEquals(1000, summary.get("row").get("queries").asInt());
  }

  private static Set<String> keys(Path cache) throws IOException {
    Set<String> keys = new HashSet<>();
    for (String l : Files.readAllLines(cache)) {
      if (l.endsWith("}")) {
        try {
          String key = JSON.readTree(l).get("key").asText();
          assertTrue(keys.add(key), "key written twice: " + key);
        } catch (com.fasterxml.jackson.core.JsonProcessingException torn) {
          // the kill's own torn last line, if it tore one
        }
      }
    }
    return keys;
  }
}

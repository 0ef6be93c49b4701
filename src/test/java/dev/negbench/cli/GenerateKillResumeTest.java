package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.Qrels;
import dev.negbench.data.SyntheticDataset;
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
 * The acceptance run: every (query, positive) pair of a split against the simulator with every
 * fault enabled, the generating process killed (kill -9) in the middle, then resumed: every pair
 * ends accepted, rejected with a reason, or failed after its last attempt; none lost, none
 * duplicated. On a synthetic set with several positives per query always, and on SciFact train
 * where ../shared/data/scifact exists.
 */
class GenerateKillResumeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void killedMidRunThenResumedLosesAndDuplicatesNothing() throws Exception {
    Path data = tmp.resolve("data");
    // 1,250 queries: one in five is held out for test, leaving 1,000 train queries with 1,194
    // positives.
    SyntheticDataset.write(new SyntheticDataset.Settings(2500, 1250, 11), data);
    assertEquals(1000, BeirDataset.open(data).qrels("train").queryCount());
    killAndResume(data, 1194);
  }

  @Test
  void scifactTrainResumesToOneLinePerPair() throws Exception {
    Path scifact = Path.of(System.getProperty("negbench.shared", "../shared"), "data", "scifact");
    assumeTrue(Files.isDirectory(scifact), "no SciFact at " + scifact);
    // SciFact train: 809 queries with 919 (query, positive) pairs, as many as the mined arms train
    // on.
    killAndResume(scifact, 919);
  }

  private void killAndResume(Path data, int expectedPairs) throws Exception {
    Qrels train = BeirDataset.open(data).qrels("train");
    Set<List<String>> pairs = new HashSet<>();
    for (String q : train.queryIds()) {
      train.relevant(q).forEach(p -> pairs.add(List.of(q, p)));
    }
    assertEquals(expectedPairs, pairs.size());
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
              "generate",
              "-q",
              "--dataset=" + data,
              "--split=train",
              "--endpoint=" + server.baseUrl(),
              "--generator=test/gen-model",
              "--out=" + out,
              "--concurrency=8",
              "--backoff-ms=1",
              "--backoff-cap-ms=20");
      Process child = CliTest.child("-Xmx512m", tmp.resolve("child.err"), args);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (GenerationFixtures.lineCount(cache) < expectedPairs / 4) {
        assertTrue(
            child.isAlive(),
            "the child finished or died before the kill: "
                + Files.readString(tmp.resolve("child.err")));
        assertTrue(System.nanoTime() < deadline, "no progress from the child");
        Thread.sleep(20);
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
      assertTrue(child.waitFor(20, TimeUnit.SECONDS));
      long done = GenerationFixtures.lineCount(cache);
      assertTrue(done < expectedPairs, "killed mid-run, not after: " + done);
      assertTrue(!Files.exists(out), "the output is written only at the end");
      keysBefore = keys(cache);
      // Whether or not the kill tore a line, simulate a write torn mid-line: resume must repair it.
      Files.writeString(cache, "{\"query_id\":\"torn", StandardOpenOption.APPEND);

      CliTest.Outcome resumed = CliTest.run(args.toArray(String[]::new));
      assertEquals(0, resumed.code(), resumed.err());
    }
    // None lost, none duplicated: one line per (query, positive) pair, in the output and in the
    // cache.
    List<String> outLines = Files.readAllLines(out);
    assertEquals(expectedPairs, outLines.size());
    Set<List<String>> seen = new HashSet<>();
    Map<String, Integer> statuses = new HashMap<>();
    for (String l : outLines) {
      JsonNode row = JSON.readTree(l);
      List<String> pair = List.of(row.get("query_id").asText(), row.get("positive_id").asText());
      assertTrue(seen.add(pair), "duplicated " + pair);
      String status = row.get("status").asText();
      statuses.merge(status, 1, Integer::sum);
      switch (status) {
        case "accepted" -> assertTrue(row.get("negatives").size() > 0);
        case "rejected" ->
            assertTrue(row.get("reason").asText().length() > 0 && row.get("negatives").isEmpty());
        case "failed" ->
            assertEquals(
                4, row.get("attempt_count").asInt(), "failed only after the last attempt: " + l);
        default -> throw new AssertionError("status " + status);
      }
      for (JsonNode r : row.get("rejected")) {
        assertTrue(r.get("reason").asText().length() > 0);
      }
    }
    assertEquals(pairs, seen);
    List<String> cacheLines = Files.readAllLines(cache);
    assertEquals(
        expectedPairs, cacheLines.size(), "the torn line was cut and nothing written twice");
    Set<String> keysAfter = keys(cache);
    assertEquals(expectedPairs, keysAfter.size());
    assertTrue(keysAfter.containsAll(keysBefore), "work finished before the kill was kept");
    System.err.println(
        "GenerateKillResumeTest "
            + data.getFileName()
            + ": killed after "
            + keysBefore.size()
            + " of "
            + expectedPairs
            + " finished pairs; after resume "
            + statuses);
    // Under every fault most pairs still get a passage (SciFact's long positives see more
    // rejections: 79%).
    assertTrue(statuses.getOrDefault("accepted", 0) > expectedPairs * 7 / 10, statuses.toString());
    assertEquals(expectedPairs, NegativesJsonl.read(out).size());
    JsonNode summary = JSON.readTree(Files.readString(Path.of(out + ".summary.json")));
    assertEquals(expectedPairs - keysBefore.size(), summary.get("generated_now").asInt());
    assertTrue(summary.get("simulated").asBoolean());
    assertEquals(
        expectedPairs,
        summary.get("row").get("queries").asInt(),
        "the row counts lines: (query, positive) pairs");
  }

  private static Set<String> keys(Path cache) throws IOException {
    Set<String> keys = new HashSet<>();
    for (String l : Files.readAllLines(cache)) {
      if (l.endsWith("}")) {
        try {
          String key = JSON.readTree(l).get("key").asText();
          assertTrue(keys.add(key), "key written twice: " + key);
        } catch (JsonProcessingException torn) {
          // the kill's own torn last line, if it tore one
        }
      }
    }
    return keys;
  }
}

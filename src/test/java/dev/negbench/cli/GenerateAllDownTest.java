package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.generate.GenerationFixtures;
import dev.negbench.generate.GenerationOutcome;
import dev.negbench.generate.SimProfile;
import dev.negbench.generate.Simulator;
import dev.negbench.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every replica down: the run ends after --down-timeout with exit code 1 and a message naming the
 * endpoints, its finished queries in the cache; run again once the replicas are back, it completes
 * from the cache with each query once.
 */
class GenerateAllDownTest {
  @TempDir Path tmp;

  @Test
  void everyReplicaDownEndsTheRunWithExitOneThenARerunCompletesEachQueryOnce() throws Exception {
    Path data = tmp.resolve("data");
    Set<String> train = GenerationFixtures.withTrainQueries(data, 150).qrels("train").queryIds();
    Path out = tmp.resolve("gen.jsonl");
    Path cache = GenerationOutcome.defaultCacheFile(out);
    SimProfile sim = SimProfile.instant().withTimings(5, 0.2);
    Simulator a = Simulator.start(sim);
    Simulator b = Simulator.start(sim.withSeed(2));
    int portA = a.baseUrl().getPort();
    int portB = b.baseUrl().getPort();
    List<String> args =
        List.of(
            "generate",
            "-q",
            "--dataset=" + data,
            "--split=train",
            "--endpoint=" + a.baseUrl(),
            "--endpoint=" + b.baseUrl(),
            "--generator=test/gen-model",
            "--out=" + out,
            "--concurrency=16",
            "--backoff-ms=1",
            "--backoff-cap-ms=20",
            "--down-timeout=1",
            "--positives=first"); // one request per query: the counts below are per query
    var killed = GenerationFixtures.killAfter(cache, 30, a, b);
    CliTest.Outcome o = CliTest.run(args.toArray(String[]::new));
    long ended = System.nanoTime();
    long killedAt = killed.get();
    assertEquals(1, o.code(), o.err());
    assertTrue(o.err().contains("every endpoint has been down for 1.0 s"), o.err());
    assertTrue(
        o.err().contains(a.baseUrl().toString()) && o.err().contains(b.baseUrl().toString()),
        o.err());
    assertTrue(o.err().contains("kept in " + cache), o.err());
    assertFalse(o.err().contains("\tat "), "a message, not a stack trace: " + o.err());
    double seconds = (ended - killedAt) / 1e9;
    assertTrue(seconds < 1 + 5, "ended " + seconds + " s after the last replica died; limit 1 s");
    assertFalse(Files.exists(out), "no output from a run that did not finish");
    List<JsonNode> before = lines(cache);
    assertTrue(
        before.size() >= 30 && before.size() < 150,
        before.size() + " finished before every replica died");
    assertEquals(before.size(), keys(before).size(), "each finished query once");

    // Back on the same ports: the same command completes from the cache.
    CliTest.Outcome again;
    try (Simulator a2 = Simulator.start(sim, "127.0.0.1", portA);
        Simulator b2 = Simulator.start(sim.withSeed(2), "127.0.0.1", portB)) {
      again = CliTest.run(args.toArray(String[]::new));
      assertEquals(
          150 - before.size(),
          a2.requests() + b2.requests(),
          "only the queries not finished before");
    }
    assertEquals(0, again.code(), again.err());
    List<JsonNode> rows = lines(out);
    Set<String> ids = new HashSet<>();
    rows.forEach(
        r -> assertTrue(ids.add(r.get("query_id").asText()), "duplicate " + r.get("query_id")));
    assertEquals(train, ids);
    rows.forEach(r -> assertEquals("accepted", r.get("status").asText(), r.toString()));
    List<JsonNode> after = lines(cache);
    assertEquals(150, after.size(), "nothing written twice");
    assertEquals(150, keys(after).size());
    JsonNode summary = Json.PLAIN.readTree(GenerationOutcome.summaryFile(out).toFile());
    assertEquals(before.size(), summary.get("from_cache").asInt());
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      out.add(Json.PLAIN.readTree(l));
    }
    return out;
  }

  private static Set<String> keys(List<JsonNode> lines) {
    Set<String> keys = new HashSet<>();
    lines.forEach(l -> keys.add(l.get("key").asText()));
    return keys;
  }
}

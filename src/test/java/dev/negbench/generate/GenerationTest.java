package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.Qrels;
import dev.negbench.data.SyntheticDataset;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Generation} against the simulator, end to end, with the parts it drives: {@link
 * RequestLoop} (retries and backoff under every fault, concurrency, several endpoints, no
 * streaming) and {@link GenerationCache} (resume, torn and bad lines). {@link ReplicaFailoverTest}
 * covers the loop's failover between replicas.
 */
class GenerationTest {
  @TempDir Path tmp;

  static final SimProfile.Faults ALL_FAULTS =
      new SimProfile.Faults(0.08, 5, 0.06, 0.05, 3, 0.06, 0.05, 0.04, 0.05);

  static BeirDataset synthetic(Path dir, int queries) {
    SyntheticDataset.write(
        new SyntheticDataset.Settings(Math.max(100, queries * 2), queries, 3), dir);
    return BeirDataset.open(dir);
  }

  static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      out.add(Json.PLAIN.readTree(l));
    }
    return out;
  }

  static GeneratorProfile fastProfile() {
    return GeneratorProfile.forModel("test/gen-model");
  }

  static GenerationSettings fastSettings(int concurrency) {
    return GenerationSettings.defaults().withConcurrency(concurrency).withBackoff(1, 10);
  }

  /**
   * The (query id, positive id) pairs of a split's qrels: what a per-positive run writes one line
   * each for.
   */
  static Set<List<String>> pairs(Qrels qrels) {
    Set<List<String>> pairs = new LinkedHashSet<>();
    for (String q : qrels.queryIds()) {
      qrels.relevant(q).forEach(p -> pairs.add(List.of(q, p)));
    }
    return pairs;
  }

  /** The (query_id, positive_id) of each line, checking that a line lists its positive alone. */
  static List<List<String>> linePairs(List<JsonNode> rows) {
    List<List<String>> out = new ArrayList<>();
    for (JsonNode r : rows) {
      String p = r.get("positive_id").asText();
      assertEquals(List.of(p), List.of(r.get("positive_ids").get(0).asText()), r.toString());
      assertEquals(1, r.get("positive_ids").size(), r.toString());
      out.add(List.of(r.get("query_id").asText(), p));
    }
    return out;
  }

  @Test
  void everyQueryEndsOnceWithAStatusUnderAllFaultsAndLinesReadAsNegatives() throws IOException {
    BeirDataset ds = synthetic(tmp.resolve("data"), 250);
    Path out = tmp.resolve("gen.jsonl");
    SimProfile sim =
        SimProfile.instant()
            .withFaults(ALL_FAULTS)
            .withQuirks(new SimProfile.Quirks(true, true, true));
    GenerationOutcome s;
    long requests;
    try (Simulator server = Simulator.start(sim)) {
      s =
          Generation.run(
              ds,
              "train",
              fastProfile(),
              List.of(server.baseUrl()),
              fastSettings(8),
              out,
              Progress.Factory.NONE);
      requests = server.requests();
    }
    int expected = pairs(ds.qrels("train")).size();
    List<JsonNode> rows = lines(out);
    assertEquals(expected, rows.size());
    assertEquals(
        List.copyOf(pairs(ds.qrels("train"))),
        linePairs(rows),
        "every (query, positive) pair once, in qrels order");
    Map<String, Integer> statuses = new HashMap<>();
    Set<String> reasons = new HashSet<>();
    for (JsonNode r : rows) {
      String status = r.get("status").asText();
      statuses.merge(status, 1, Integer::sum);
      int attempts = r.get("attempt_count").asInt();
      assertEquals(attempts, r.get("attempts").size());
      switch (status) {
        case "accepted" -> assertFalse(r.get("negatives").isEmpty());
        case "rejected" -> {
          assertTrue(r.get("negatives").isEmpty());
          assertTrue(r.has("reason"));
        }
        case "failed" -> {
          assertTrue(r.get("negatives").isEmpty());
          assertEquals(4, attempts, "a failed query used all its attempts: " + r);
        }
        default -> throw new AssertionError("unknown status " + status);
      }
      r.get("rejected").forEach(x -> reasons.add(x.get("reason").asText()));
      if (!status.equals("failed")) { // a failed line had no answer to name the model
        assertTrue(r.get("simulated").asBoolean());
        assertTrue(r.get("model").asText().startsWith("sim:"));
      }
    }
    assertTrue(statuses.get("accepted") > expected / 2, statuses.toString());
    assertTrue(reasons.contains("copy_of_positive"), reasons.toString());
    assertTrue(
        statuses.containsKey("rejected"), "empty answers are rejected with a reason: " + statuses);
    assertTrue(requests > expected, "faults made the client retry");
    assertEquals(requests, s.row().requests());
    // Every attempt status the faults cause was seen.
    Set<String> attemptStatuses = new HashSet<>();
    rows.forEach(
        r -> r.get("attempts").forEach(a -> attemptStatuses.add(a.get("status").asText())));
    assertTrue(
        attemptStatuses.containsAll(Set.of("ok", "http_retryable", "malformed")),
        attemptStatuses.toString());
    assertTrue(
        attemptStatuses.contains("io_error") || attemptStatuses.contains("truncated"),
        attemptStatuses.toString());

    // The miners' reader takes the lines as they are; generated negatives carry their text.
    List<HardNegatives> read = NegativesJsonl.read(out);
    assertEquals(expected, read.size());
    for (HardNegatives h : read) {
      for (int i = 0; i < h.negatives().size(); i++) {
        Negative n = h.negatives().get(i);
        assertTrue(n.inline());
        assertTrue(
            n.docId().startsWith("gen:" + h.queryId() + ":" + h.positiveId() + ":"), n.docId());
      }
    }
    assertEquals(statuses.get("accepted"), s.row().accepted());
    assertTrue(s.row().simulated());
    assertTrue(
        Files.readString(GenerationOutcome.summaryFile(out)).contains("\"simulated\" : true"));

    // A rerun finds everything in the cache and sends nothing.
    try (Simulator server = Simulator.start(sim)) {
      GenerationOutcome again =
          Generation.run(
              ds,
              "train",
              fastProfile(),
              List.of(server.baseUrl()),
              fastSettings(8),
              out,
              Progress.Factory.NONE);
      assertEquals(0, server.requests());
      assertEquals(expected, again.fromCache());
      assertEquals(0, again.generatedNow());
    }
    assertEquals(rows, lines(out));
  }

  @Test
  void tornLastLineIsCutAndThatQueryGeneratedAgain() throws IOException {
    BeirDataset ds = synthetic(tmp.resolve("data"), 40);
    Path out = tmp.resolve("gen.jsonl");
    try (Simulator server = Simulator.start(SimProfile.instant())) {
      Generation.run(
          ds,
          "train",
          fastProfile(),
          List.of(server.baseUrl()),
          fastSettings(4),
          out,
          Progress.Factory.NONE);
    }
    Path cache = GenerationOutcome.defaultCacheFile(out);
    String text = Files.readString(cache);
    int lastStart = text.lastIndexOf('\n', text.length() - 2) + 1;
    Files.writeString(cache, text.substring(0, lastStart + 25)); // die mid-write of the last line
    int expected = pairs(ds.qrels("train")).size();
    try (Simulator server = Simulator.start(SimProfile.instant())) {
      GenerationOutcome s =
          Generation.run(
              ds,
              "train",
              fastProfile(),
              List.of(server.baseUrl()),
              fastSettings(4),
              out,
              Progress.Factory.NONE);
      assertEquals(1, server.requests());
      assertEquals(25, s.repairedBytes());
      assertEquals(expected - 1, s.fromCache());
    }
    assertEquals(expected, Files.readAllLines(cache).size());
    assertEquals(expected, NegativesJsonl.read(out).size());
  }

  /**
   * Several positives per query (synthetic near-duplicates judged related): one line per (query,
   * positive) pair by default; {@code first} one per query; the cache keyed on the pair, so that a
   * run for every positive reuses what a first-positive run generated.
   */
  @Test
  void everyPositiveIsOnePairAndFirstKeepsOnePerQuery() throws IOException {
    BeirDataset ds = synthetic(tmp.resolve("data"), 50);
    Qrels qrels = ds.qrels("train");
    Set<List<String>> expected = pairs(qrels);
    assertEquals(40, qrels.queryCount());
    assertEquals(50, expected.size(), "9 of the 40 train queries have two or more positives");
    Path first = tmp.resolve("first.jsonl");
    Path all = tmp.resolve("all.jsonl");
    Path cache = tmp.resolve("shared.cache.jsonl");
    try (Simulator server = Simulator.start(SimProfile.instant())) {
      GenerationSettings settings = fastSettings(4).withCacheFile(cache);
      GenerationOutcome one =
          Generation.run(
              ds,
              "train",
              fastProfile(),
              List.of(server.baseUrl()),
              settings.withPositives(GenerationSettings.Positives.FIRST),
              first,
              Progress.Factory.NONE);
      assertEquals(40, one.generatedNow());
      GenerationOutcome each =
          Generation.run(
              ds,
              "train",
              fastProfile(),
              List.of(server.baseUrl()),
              settings,
              all,
              Progress.Factory.NONE);
      assertEquals(40, each.fromCache(), "the first positives' answers come from the cache");
      assertEquals(10, each.generatedNow());
      assertEquals(50, server.requests());
    }
    List<List<String>> firstPairs = linePairs(lines(first));
    assertEquals(
        qrels.queryIds().stream()
            .map(q -> List.of(q, qrels.relevant(q).iterator().next()))
            .toList(),
        firstPairs);
    List<JsonNode> rows = lines(all);
    assertEquals(List.copyOf(expected), linePairs(rows));
    Set<String> ids = new HashSet<>();
    for (JsonNode r : rows) {
      r.get("negatives")
          .forEach(
              n ->
                  assertTrue(
                      ids.add(n.get("doc_id").asText()),
                      "generated ids are unique across a query's positives: " + n));
    }
    // The reader keeps the pair: each row is for its positive alone.
    for (HardNegatives h : NegativesJsonl.read(all)) {
      assertTrue(h.perPositive() && h.positiveIds().equals(List.of(h.positiveId())), h.toString());
    }
  }

  @Test
  void aBadLineInsideTheCacheIsAnErrorNamingFileAndLine() throws IOException {
    Path cache = tmp.resolve("c.jsonl");
    Files.writeString(cache, "{\"key\":\"a\"}\nnot json\n{\"key\":\"b\"}\n");
    var e = assertThrows(DatasetFormatException.class, () -> GenerationCache.open(cache, 1000));
    assertTrue(e.getMessage().startsWith(cache + ":2:"), e.getMessage());
  }

  @Test
  void nonStreamingNumberedListAndSeveralEndpoints() throws IOException {
    BeirDataset ds = synthetic(tmp.resolve("data"), 60);
    Path out = tmp.resolve("gen.jsonl");
    Path profileFile = tmp.resolve("p.json");
    Files.writeString(
        profileFile,
        "{\"model\": \"m\", \"stream\": false, \"response_format\": \"none\", \"num_negatives\": 2}");
    try (Simulator a = Simulator.start(SimProfile.instant().withTimings(2, 0));
        Simulator b = Simulator.start(SimProfile.instant().withTimings(2, 0))) {
      GenerationOutcome s =
          Generation.run(
              ds,
              "train",
              GeneratorProfile.resolve(profileFile.toString()),
              List.of(a.baseUrl(), b.baseUrl()),
              fastSettings(4),
              out,
              Progress.Factory.NONE);
      assertEquals(s.row().queries(), s.row().accepted());
      assertTrue(a.requests() > 5 && b.requests() > 5, a.requests() + " / " + b.requests());
      assertEquals(s.row().queries() * 2L, s.row().acceptedNegatives());
    }
  }
}

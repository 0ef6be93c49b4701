package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.data.SyntheticDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationTest {
  @TempDir Path tmp;

  static final SimProfile.Faults ALL_FAULTS = new SimProfile.Faults(0.08, 5, 0.06, 0.05, 3, 0.06, 0.05, 0.04, 0.05);

  static BeirDataset synthetic(Path dir, int queries) {
    SyntheticDataset.write(new SyntheticDataset.Settings(Math.max(100, queries * 2), queries, 3), dir);
    return BeirDataset.open(dir);
  }

  static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new java.util.ArrayList<>();
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

  @Test
  void everyQueryEndsOnceWithAStatusUnderAllFaultsAndLinesReadAsNegatives() throws IOException {
    BeirDataset ds = synthetic(tmp.resolve("data"), 250);
    Path out = tmp.resolve("gen.jsonl");
    SimProfile sim = SimProfile.instant().withFaults(ALL_FAULTS).withQuirks(new SimProfile.Quirks(true, true, true));
    GenerationRun s;
    long requests;
    try (Simulator server = Simulator.start(sim)) {
      s = Generation.run(ds, "train", fastProfile(), List.of(server.baseUrl()), fastSettings(8), out, Progress.Factory.NONE);
      requests = server.requests();
    }
    int expected = ds.qrels("train").queryCount();
    List<JsonNode> rows = lines(out);
    assertEquals(expected, rows.size());
    Set<String> ids = new HashSet<>();
    Map<String, Integer> statuses = new HashMap<>();
    Set<String> reasons = new HashSet<>();
    for (JsonNode r : rows) {
      assertTrue(ids.add(r.get("query_id").asText()), "duplicate " + r.get("query_id"));
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
      assertTrue(r.get("simulated").asBoolean());
      assertTrue(r.get("model").asText().startsWith("sim:"));
    }
    assertTrue(statuses.get("accepted") > expected / 2, statuses.toString());
    assertTrue(reasons.contains("copy_of_positive"), reasons.toString());
    assertTrue(statuses.containsKey("rejected"), "empty answers are rejected with a reason: " + statuses);
    assertTrue(requests > expected, "faults made the client retry");
    assertEquals(requests, s.row().requests());
    // Every attempt status the faults cause was seen.
    Set<String> attemptStatuses = new HashSet<>();
    rows.forEach(r -> r.get("attempts").forEach(a -> attemptStatuses.add(a.get("status").asText())));
    assertTrue(attemptStatuses.containsAll(Set.of("ok", "http_retryable", "malformed")), attemptStatuses.toString());
    assertTrue(attemptStatuses.contains("io_error") || attemptStatuses.contains("truncated"), attemptStatuses.toString());

    // The miners' reader takes the lines as they are; generated negatives carry their text.
    List<HardNegatives> read = NegativesJsonl.read(out);
    assertEquals(expected, read.size());
    for (HardNegatives h : read) {
      for (int i = 0; i < h.negatives().size(); i++) {
        Negative n = h.negatives().get(i);
        assertTrue(n.inline());
        assertTrue(n.docId().startsWith("gen:" + h.queryId() + ":"), n.docId());
      }
    }
    assertEquals(statuses.get("accepted"), s.row().accepted());
    assertTrue(s.row().simulated());
    assertTrue(Files.readString(GenerationRun.summaryFile(out)).contains("\"simulated\" : true"));

    // A rerun finds everything in the cache and sends nothing.
    try (Simulator server = Simulator.start(sim)) {
      GenerationRun again = Generation.run(ds, "train", fastProfile(), List.of(server.baseUrl()), fastSettings(8), out, Progress.Factory.NONE);
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
      Generation.run(ds, "train", fastProfile(), List.of(server.baseUrl()), fastSettings(4), out, Progress.Factory.NONE);
    }
    Path cache = GenerationRun.defaultCacheFile(out);
    String text = Files.readString(cache);
    int lastStart = text.lastIndexOf('\n', text.length() - 2) + 1;
    Files.writeString(cache, text.substring(0, lastStart + 25)); // die mid-write of the last line
    int expected = ds.qrels("train").queryCount();
    try (Simulator server = Simulator.start(SimProfile.instant())) {
      GenerationRun s = Generation.run(ds, "train", fastProfile(), List.of(server.baseUrl()), fastSettings(4), out, Progress.Factory.NONE);
      assertEquals(1, server.requests());
      assertEquals(25, s.repairedBytes());
      assertEquals(expected - 1, s.fromCache());
    }
    assertEquals(expected, Files.readAllLines(cache).size());
    assertEquals(expected, NegativesJsonl.read(out).size());
  }

  @Test
  void aBadLineInsideTheCacheIsAnErrorNamingFileAndLine() throws IOException {
    Path cache = tmp.resolve("c.jsonl");
    Files.writeString(cache, "{\"key\":\"a\"}\nnot json\n{\"key\":\"b\"}\n");
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.negbench.io.DatasetFormatException.class, () -> GenerationCache.open(cache, 1000));
    assertTrue(e.getMessage().startsWith(cache + ":2:"), e.getMessage());
  }

  @Test
  void nonStreamingNumberedListAndSeveralEndpoints() throws IOException {
    BeirDataset ds = synthetic(tmp.resolve("data"), 60);
    Path out = tmp.resolve("gen.jsonl");
    Path profileFile = tmp.resolve("p.json");
    Files.writeString(profileFile, "{\"model\": \"m\", \"stream\": false, \"response_format\": \"none\", \"num_negatives\": 2}");
    try (Simulator a = Simulator.start(SimProfile.instant().withTimings(2, 0)); Simulator b = Simulator.start(SimProfile.instant().withTimings(2, 0))) {
      GenerationRun s =
          Generation.run(ds, "train", GeneratorProfile.resolve(profileFile.toString()), List.of(a.baseUrl(), b.baseUrl()), fastSettings(4), out, Progress.Factory.NONE);
      assertEquals(s.row().queries(), s.row().accepted());
      assertTrue(a.requests() > 5 && b.requests() > 5, a.requests() + " / " + b.requests());
      assertEquals(s.row().queries() * 2L, s.row().acceptedNegatives());
    }
  }
}

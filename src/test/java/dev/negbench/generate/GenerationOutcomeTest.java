package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.TinyDatasets;
import dev.negbench.io.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GenerationOutcome}: the summary of hand-written lines, worked out by hand. */
class GenerationOutcomeTest {
  @TempDir Path tmp;

  /**
   * Session s1 from 1 s to 5 s, s2 from 10 s to 12 s: 6 s in all. Four requests, two answered: TTFT
   * 10 and 30 ms, TPOT 2 and 150 ms (over the 100 ms goodput limit), 50 and 30 output tokens.
   */
  private static final String[] LINES = {
    """
    {"status": "accepted", "negatives": [{}, {}], "rejected": [{}], "simulated": false,
     "model": "org/m", "session": "s1", "started_at_ms": 1000, "finished_at_ms": 3000,
     "attempts": [{"status": "http_retryable"},
                  {"status": "ok", "ttft_ms": 10, "tpot_ms": 2, "e2e_ms": 100,
                   "itl_ms": [1, 3], "completion_tokens": 50}]}
    """,
    """
    {"status": "rejected", "negatives": [], "rejected": [{}, {}], "simulated": false,
     "model": "org/m", "session": "s1", "started_at_ms": 2000, "finished_at_ms": 5000,
     "attempts": [{"status": "ok", "ttft_ms": 30, "tpot_ms": 150, "e2e_ms": 300,
                   "itl_ms": [2], "completion_tokens": 30}]}
    """,
    """
    {"status": "failed", "negatives": [], "rejected": [], "simulated": false,
     "model": "org/m", "session": "s2", "started_at_ms": 10000, "finished_at_ms": 12000,
     "attempts": [{"status": "timeout"}]}
    """
  };

  @Test
  void countsLatencyThroughputAndCost() throws IOException {
    Path profile = tmp.resolve("p.json");
    Files.writeString(
        profile,
        "{\"model\": \"org/m\", \"params_b\": 8,"
            + " \"cost\": {\"gpu_type\": \"H100\", \"gpu_count\": 2, \"usd_per_gpu_hour\": 3.6}}");
    BeirDataset dataset =
        BeirDataset.open(TinyDatasets.write(tmp.resolve("tiny"), "", "", "q\td\t1\n"));
    List<ObjectNode> lines = new ArrayList<>();
    for (String l : LINES) {
      lines.add((ObjectNode) Json.PLAIN.readTree(l));
    }
    List<EndpointPool.Stats> endpoints =
        List.of(
            new EndpointPool.Stats(URI.create("http://a:1/v1"), 3, 2, Map.of(), 0, 0, true),
            new EndpointPool.Stats(URI.create("http://b:1/v1"), 1, 0, Map.of(), 1, 2.5, false));
    Path out = tmp.resolve("gen.jsonl");
    GenerationOutcome o =
        GenerationOutcome.of(
            GeneratorProfile.load(profile),
            dataset,
            "test",
            GenerationSettings.defaults(),
            lines,
            out,
            tmp.resolve("c.jsonl"),
            1,
            2,
            0,
            endpoints);
    ComparisonRow r = o.row();
    assertEquals("m", r.generator());
    assertEquals("tiny", r.dataset());
    assertEquals(3, r.queries());
    assertEquals(List.of(1, 1, 1), List.of(r.accepted(), r.rejected(), r.failed()));
    assertEquals(2, r.acceptedNegatives());
    assertEquals(3, r.rejectedNegatives());
    assertEquals(0.4, r.acceptanceRate(), 1e-12);
    assertEquals(4, r.requests());
    assertEquals(6.0, r.durationS(), 1e-12);
    assertEquals(2 / 6.0, r.requestThroughput(), 1e-12);
    assertEquals(80 / 6.0, r.outputTokenThroughput(), 1e-12);
    assertEquals(1 / 6.0, r.goodput(), 1e-12);
    assertEquals(20.0, r.ttftP50Ms(), 1e-12);
    assertEquals(28.0, r.ttftP90Ms(), 1e-12);
    assertEquals(76.0, r.tpotP50Ms(), 1e-12);
    assertEquals(2.0, r.itlP50Ms(), 1e-12);
    assertEquals(200.0, r.e2eP50Ms(), 1e-12);
    assertEquals(2, r.replicas());
    assertEquals(6.0 * 2 * 2, r.gpuSeconds(), 1e-12, "every replica's GPUs the whole time");
    assertEquals(24 / 3600.0 * 3.6, r.usd(), 1e-12);
    assertEquals(r.usd() * 1000 / 2, r.usdPer1000AcceptedNegatives(), 1e-12);
    assertEquals(3, o.itlMs().count());

    JsonNode json = o.toJson();
    assertEquals(
        List.of(
            "simulated",
            "row",
            "latency_ms",
            "output",
            "cache",
            "from_cache",
            "generated_now",
            "repaired_bytes",
            "endpoints"),
        fieldNames(json));
    assertFalse(json.get("simulated").asBoolean());
    assertEquals(
        "{\"count\":2,\"mean\":20.0,\"median\":20.0,\"p90\":28.0,\"p99\":29.8}",
        json.get("latency_ms").get("ttft").toString());
    assertEquals(1, json.get("from_cache").asInt());
    assertEquals(2, json.get("generated_now").asInt());
    assertEquals(2, json.get("endpoints").size());
    assertEquals(
        tmp.resolve("gen.jsonl.summary.json"), GenerationOutcome.summaryFile(out), "beside OUT");
    assertEquals(tmp.resolve("gen.jsonl.cache.jsonl"), GenerationOutcome.defaultCacheFile(out));
  }

  @Test
  void noAnswersGiveNullLatencies() throws IOException {
    BeirDataset dataset =
        BeirDataset.open(TinyDatasets.write(tmp.resolve("tiny"), "", "", "q\td\t1\n"));
    GenerationOutcome o =
        GenerationOutcome.of(
            GeneratorProfile.forModel("org/m"),
            dataset,
            "test",
            GenerationSettings.defaults(),
            List.of((ObjectNode) Json.PLAIN.readTree(LINES[2])),
            tmp.resolve("gen.jsonl"),
            tmp.resolve("c.jsonl"),
            0,
            1,
            0,
            List.of());
    assertEquals(
        "{\"count\":0,\"mean\":null,\"median\":null,\"p90\":null,\"p99\":null}",
        o.toJson().get("latency_ms").get("e2e").toString());
    assertEquals(Double.NaN, o.row().acceptanceRate());
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}

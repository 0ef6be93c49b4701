package dev.negbench.generate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import java.nio.file.Path;
import java.util.List;

/**
 * What one call of {@link Generation#run} produced: its {@link ComparisonRow} (the line {@code
 * compare-generators} prints), the latency distributions behind it, where the files are, how much
 * came from the cache, and what each endpoint did this time ({@link EndpointPool.Stats}). Written
 * beside the output as {@code OUT.summary.json}.
 */
public record GenerationOutcome(
    ComparisonRow row,
    Stats ttftMs,
    Stats tpotMs,
    Stats itlMs,
    Stats e2eMs,
    Path output,
    Path cache,
    int fromCache,
    int generatedNow,
    long repairedBytes,
    List<EndpointPool.Stats> endpoints) {

  public ObjectNode toJson() {
    ObjectNode o = Json.PLAIN.createObjectNode();
    o.put("simulated", row.simulated());
    if (row.simulated()) {
      o.put(
          "note",
          "answers came from negbench's simulator (model names start with \"sim:\"): timings and cost are a model, not a measurement");
    }
    o.set("row", row.toJson());
    ObjectNode lat = o.putObject("latency_ms");
    put(lat, "ttft", ttftMs);
    put(lat, "tpot", tpotMs);
    put(lat, "itl", itlMs);
    put(lat, "e2e", e2eMs);
    o.put("output", output.toString());
    o.put("cache", cache.toString());
    o.put("from_cache", fromCache);
    o.put("generated_now", generatedNow);
    o.put("repaired_bytes", repairedBytes);
    // This call's requests per endpoint (queries taken from the cache sent none).
    ArrayNode eps = o.putArray("endpoints");
    endpoints.forEach(e -> eps.add(e.toJson()));
    return o;
  }

  private static void put(ObjectNode parent, String name, Stats s) {
    ObjectNode n = parent.putObject(name);
    n.put("count", s.count());
    num(n, "mean", s.mean());
    num(n, "median", s.median());
    num(n, "p90", s.p90());
    num(n, "p99", s.p99());
  }

  private static void num(ObjectNode n, String k, double v) {
    if (Double.isNaN(v)) {
      n.putNull(k);
    } else {
      n.put(k, v);
    }
  }

  /** {@code OUT.summary.json} for an output file. */
  public static Path summaryFile(Path output) {
    return output.resolveSibling(output.getFileName() + ".summary.json");
  }

  /** {@code OUT.cache.jsonl} for an output file. */
  public static Path defaultCacheFile(Path output) {
    return output.resolveSibling(output.getFileName() + ".cache.jsonl");
  }
}

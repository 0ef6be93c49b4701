package dev.negbench.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * The outcome of a call from its output lines: pairs and passages counted by status, latency
   * distributions over the answered requests, throughput over the time the sessions took (each from
   * its first start to its last finish), and the GPU cost of that time on every replica.
   *
   * @param fromCache pairs whose lines came from the cache
   * @param generatedNow pairs whose requests this call sent
   * @param repaired bytes of a torn last cache line that opening the cache cut
   */
  static GenerationOutcome of(
      GeneratorProfile gen,
      BeirDataset dataset,
      String split,
      GenerationSettings settings,
      List<ObjectNode> lines,
      Path out,
      Path cacheFile,
      int fromCache,
      int generatedNow,
      long repaired,
      List<EndpointPool.Stats> endpoints) {
    int accepted = 0;
    int rejected = 0;
    int failed = 0;
    long acceptedNeg = 0;
    long rejectedNeg = 0;
    long requests = 0;
    long okRequests = 0;
    long good = 0;
    long outputTokens = 0;
    boolean simulated = false;
    List<Double> ttft = new ArrayList<>();
    List<Double> tpot = new ArrayList<>();
    List<Double> itl = new ArrayList<>();
    List<Double> e2e = new ArrayList<>();
    Map<String, long[]> sessions = new HashMap<>();
    String model = gen.model();
    for (ObjectNode l : lines) {
      switch (l.path("status").asText()) {
        case "accepted" -> accepted++;
        case "rejected" -> rejected++;
        default -> failed++;
      }
      acceptedNeg += l.path("negatives").size();
      rejectedNeg += l.path("rejected").size();
      if (l.path("simulated").asBoolean()) {
        simulated = true;
        model = l.path("model").asText(model);
      }
      long[] span =
          sessions.computeIfAbsent(
              l.path("session").asText(), s -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      span[0] = Math.min(span[0], l.path("started_at_ms").asLong());
      span[1] = Math.max(span[1], l.path("finished_at_ms").asLong());
      for (JsonNode a : l.path("attempts")) {
        requests++;
        if (!a.path("status").asText().equals(RequestMetrics.OK)) {
          continue;
        }
        okRequests++;
        double t = a.path("ttft_ms").asDouble(Double.NaN);
        double p = a.path("tpot_ms").asDouble(Double.NaN);
        ttft.add(t);
        tpot.add(p);
        e2e.add(a.path("e2e_ms").asDouble(Double.NaN));
        a.path("itl_ms").forEach(x -> itl.add(x.asDouble()));
        outputTokens += Math.max(0, a.path("completion_tokens").asLong(0));
        if (t <= settings.ttftSloMs() && (Double.isNaN(p) || p <= settings.tpotSloMs())) {
          good++;
        }
      }
    }
    double durationS = 0;
    for (long[] span : sessions.values()) {
      durationS += Math.max(0, span[1] - span[0]) / 1000.0;
    }
    double perS = durationS > 0 ? 1 / durationS : Double.NaN;
    Stats ttftS = Stats.of(ttft);
    Stats tpotS = Stats.of(tpot);
    Stats itlS = Stats.of(itl);
    Stats e2eS = Stats.of(e2e);
    GeneratorProfile.Cost cost = gen.cost();
    // Every replica holds its GPUs the whole time, serving or not.
    int replicas = endpoints.size();
    double gpuSeconds = durationS * cost.gpuCount() * replicas;
    double usd = gpuSeconds / 3600 * cost.usdPerGpuHour();
    ComparisonRow row =
        new ComparisonRow(
            gen.name(),
            model,
            gen.paramsBillions(),
            simulated,
            dataset.name(),
            split,
            lines.size(),
            accepted,
            rejected,
            failed,
            acceptedNeg,
            rejectedNeg,
            acceptedNeg + rejectedNeg == 0
                ? Double.NaN
                : (double) acceptedNeg / (acceptedNeg + rejectedNeg),
            requests,
            durationS,
            okRequests * perS,
            outputTokens * perS,
            good * perS,
            ttftS.median(),
            ttftS.p90(),
            ttftS.p99(),
            tpotS.median(),
            tpotS.p90(),
            tpotS.p99(),
            itlS.median(),
            e2eS.median(),
            e2eS.p99(),
            cost.gpuType(),
            cost.gpuCount(),
            replicas,
            cost.usdPerGpuHour(),
            gpuSeconds,
            usd,
            acceptedNeg == 0 ? Double.NaN : usd * 1000 / acceptedNeg);
    return new GenerationOutcome(
        row,
        ttftS,
        tpotS,
        itlS,
        e2eS,
        out,
        cacheFile,
        fromCache,
        generatedNow,
        repaired,
        endpoints);
  }

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

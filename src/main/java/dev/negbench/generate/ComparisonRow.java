package dev.negbench.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One generator's line in {@code negbench compare-generators}: size, throughput, latency
 * percentiles, acceptance and cost. Times in milliseconds, throughputs per second of the
 * generation's wall time. {@code simulated} is true when the answers came from negbench's
 * simulator, whose timings are a model, not a measurement of the generator. Cost: {@code
 * gpuSeconds} = wall time x {@code gpuCount} (per replica) x {@code replicas} (the endpoints the
 * generation spread its requests over).
 */
public record ComparisonRow(
    String generator,
    String model,
    double paramsBillions,
    boolean simulated,
    String dataset,
    String split,
    int queries,
    int accepted,
    int rejected,
    int failed,
    long acceptedNegatives,
    long rejectedNegatives,
    double acceptanceRate,
    long requests,
    double durationS,
    double requestThroughput,
    double outputTokenThroughput,
    double goodput,
    double ttftP50Ms,
    double ttftP90Ms,
    double ttftP99Ms,
    double tpotP50Ms,
    double tpotP90Ms,
    double tpotP99Ms,
    double itlP50Ms,
    double e2eP50Ms,
    double e2eP99Ms,
    String gpuType,
    int gpuCount,
    int replicas,
    double usdPerGpuHour,
    double gpuSeconds,
    double usd,
    double usdPer1000AcceptedNegatives) {

  /** Column names, as in the CSV header and the JSON fields. */
  public static final List<String> COLUMNS =
      List.of(
          "generator",
          "model",
          "params_b",
          "simulated",
          "dataset",
          "split",
          "queries",
          "accepted",
          "rejected",
          "failed",
          "accepted_negatives",
          "rejected_negatives",
          "acceptance_rate",
          "requests",
          "duration_s",
          "request_throughput",
          "output_token_throughput",
          "goodput",
          "ttft_p50_ms",
          "ttft_p90_ms",
          "ttft_p99_ms",
          "tpot_p50_ms",
          "tpot_p90_ms",
          "tpot_p99_ms",
          "itl_p50_ms",
          "e2e_p50_ms",
          "e2e_p99_ms",
          "gpu_type",
          "gpu_count",
          "replicas",
          "usd_per_gpu_hour",
          "gpu_seconds",
          "usd",
          "usd_per_1000_accepted_negatives");

  private List<Object> values() {
    return List.of(
        generator,
        model,
        paramsBillions,
        simulated,
        dataset,
        split,
        queries,
        accepted,
        rejected,
        failed,
        acceptedNegatives,
        rejectedNegatives,
        acceptanceRate,
        requests,
        durationS,
        requestThroughput,
        outputTokenThroughput,
        goodput,
        ttftP50Ms,
        ttftP90Ms,
        ttftP99Ms,
        tpotP50Ms,
        tpotP90Ms,
        tpotP99Ms,
        itlP50Ms,
        e2eP50Ms,
        e2eP99Ms,
        gpuType,
        gpuCount,
        replicas,
        usdPerGpuHour,
        gpuSeconds,
        usd,
        usdPer1000AcceptedNegatives);
  }

  /** The row as a JSON object; NaN (no data) is written as null. */
  public ObjectNode toJson() {
    ObjectNode o = Json.PLAIN.createObjectNode();
    List<Object> v = values();
    for (int i = 0; i < COLUMNS.size(); i++) {
      Object x = v.get(i);
      String c = COLUMNS.get(i);
      switch (x) {
        case Double d when d.isNaN() || d.isInfinite() -> o.putNull(c);
        case Double d -> o.put(c, d);
        case Integer n -> o.put(c, n);
        case Long n -> o.put(c, n);
        case Boolean b -> o.put(c, b);
        default -> o.put(c, String.valueOf(x));
      }
    }
    return o;
  }

  /** One CSV line (RFC 4180 quoting), numbers with {@link Locale#ROOT}; NaN is an empty cell. */
  public String toCsv() {
    List<String> cells = new ArrayList<>();
    for (Object x : values()) {
      cells.add(
          switch (x) {
            case Double d when d.isNaN() || d.isInfinite() -> "";
            case Double d -> String.format(Locale.ROOT, "%.4f", d);
            default -> csv(String.valueOf(x));
          });
    }
    return String.join(",", cells);
  }

  public static String csvHeader() {
    return String.join(",", COLUMNS);
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n")
        ? "\"" + s.replace("\"", "\"\"") + "\""
        : s;
  }

  /** Reads a row from a summary's {@code row} object; missing numbers read as NaN. */
  public static ComparisonRow fromJson(JsonNode o) {
    return new ComparisonRow(
        o.path("generator").asText(""),
        o.path("model").asText(""),
        d(o, "params_b"),
        o.path("simulated").asBoolean(false),
        o.path("dataset").asText(""),
        o.path("split").asText(""),
        o.path("queries").asInt(),
        o.path("accepted").asInt(),
        o.path("rejected").asInt(),
        o.path("failed").asInt(),
        o.path("accepted_negatives").asLong(),
        o.path("rejected_negatives").asLong(),
        d(o, "acceptance_rate"),
        o.path("requests").asLong(),
        d(o, "duration_s"),
        d(o, "request_throughput"),
        d(o, "output_token_throughput"),
        d(o, "goodput"),
        d(o, "ttft_p50_ms"),
        d(o, "ttft_p90_ms"),
        d(o, "ttft_p99_ms"),
        d(o, "tpot_p50_ms"),
        d(o, "tpot_p90_ms"),
        d(o, "tpot_p99_ms"),
        d(o, "itl_p50_ms"),
        d(o, "e2e_p50_ms"),
        d(o, "e2e_p99_ms"),
        o.path("gpu_type").asText(""),
        o.path("gpu_count").asInt(1),
        o.path("replicas").asInt(1),
        d(o, "usd_per_gpu_hour"),
        d(o, "gpu_seconds"),
        d(o, "usd"),
        d(o, "usd_per_1000_accepted_negatives"));
  }

  private static double d(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
  }
}

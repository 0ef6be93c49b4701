package dev.negbench.bench;

import dev.negbench.results.JmhResults;
import dev.negbench.results.JmhResults.Run;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The ratios the kernels exist to answer, read from a JMH {@code -rf json} result file: each
 * variant against the baseline in its own class (STYLE rule 7), and achieved GFLOP/s against the
 * GEMM peak measured in the same run, each beside its target. {@code mvn jmh:run} prints it after
 * every run; {@code java -cp ... dev.negbench.bench.JmhSummary FILE} prints it for a saved file.
 */
public final class JmhSummary {
  /** A variant/baseline pair of one class and the speed ratio it should reach. */
  record Comparison(String benchmarkClass, String variant, String baseline, double target, Predicate<Map<String, String>> targetApplies, String why) {}

  /** A kernel's FLOP rate against the class's GEMM reference, with a target where one is set. */
  record Efficiency(String benchmarkClass, String peakMethod, double target, Predicate<Map<String, String>> targetApplies, String why) {}

  /** One method at two values of a parameter, the other parameters equal: e.g. 2 threads against 1. */
  record Scaling(
      String benchmarkClass, String method, String param, String from, String to, double target, Predicate<Map<String, String>> targetApplies, String why) {}

  static final List<Comparison> COMPARISONS = List.of(
      new Comparison("Bm25MiningBenchmark", "mine", "plainSearch", 0.9, p -> true, "mining costs at most 10% over plain Lucene search"),
      // At 128 tokens nearly every pair of the mix reaches the cap, so all lengths are equal and
      // there is nothing to bucket; lengths=full is equal by construction.
      new Comparison("CrossEncoderBenchmark", "bucketed", "naivePadding", 1.5,
          p -> "mix".equals(p.get("lengths")) && Integer.parseInt(p.getOrDefault("maxLength", "0")) >= 256,
          "length bucketing on realistic length mixes: lengths=mix at 256 and 512 tokens"),
      new Comparison("EvaluationBenchmark", "streamed", "parseAndEvaluate", 1.0, p -> true,
          "streaming the run file costs no speed against parsing it whole first, on one thread"),
      new Comparison("GenerationBenchmark", "client", "bareHttpClient", 0.8, p -> Set.of("64", "1000").contains(p.get("concurrency")),
          "the generation client's overhead against a bare HttpClient loop, at 64 and 1,000 concurrent requests"));

  static final List<Scaling> SCALINGS = List.of(
      new Scaling("DenseSearchBenchmark", "search", "index", "exact", "hnsw", 20, p -> "1000000".equals(p.get("docs")),
          "HNSW (recall@100 >= 0.95, secondary metric) against the exact scan at 1,000,000 documents"),
      new Scaling("CrossEncoderMiningBenchmark", "mine", "threads", "1", "2", 1.7, p -> true,
          "cross-encoder mining uses both cores: every stage of a query runs on its own worker"));

  static final List<Efficiency> EFFICIENCIES = List.of(
      new Efficiency("DenseSearchBenchmark", "gemmPeak", 0.5,
          p -> "exact".equals(p.get("index")), "the exact scan (FLOP: 2 x documents x dimension per query)"),
      new Efficiency("CrossEncoderBenchmark", "gemmPeak", 0.5,
          p -> "minilm".equals(p.get("model")), "the MiniLM-L6 kernel (the real cross-encoder cost)"));

  private JmhSummary() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: JmhSummary RESULT.json");
      System.exit(2);
    }
    print(Path.of(args[0]), System.out);
  }

  /** Operations per second, whether JMH measured throughput or time per operation. */
  private static double speed(Run r) {
    return r.unit().endsWith("/op") ? 1 / r.score() : r.score();
  }

  static void print(Path file, PrintStream out) {
    List<Run> rows = JmhResults.read(file).runs();
    out.println("JMH summary of " + file + " (speed ratios: higher is better)");
    for (Comparison c : COMPARISONS) {
      Map<Map<String, String>, Run> variants = byParams(rows, c.benchmarkClass(), c.variant());
      Map<Map<String, String>, Run> baselines = byParams(rows, c.benchmarkClass(), c.baseline());
      if (variants.isEmpty() || baselines.isEmpty()) {
        continue;
      }
      out.printf(Locale.ROOT, "%s: %s / %s, target >= %.2f (%s)%n", c.benchmarkClass(), c.variant(), c.baseline(), c.target(), c.why());
      for (var e : variants.entrySet()) {
        Run base = baselines.get(e.getKey());
        if (base != null) {
          double ratio = speed(e.getValue()) / speed(base);
          String verdict = c.targetApplies().test(e.getKey()) ? (ratio >= c.target() ? "met" : "MISSED") : "(no target)";
          out.printf(Locale.ROOT, "  %-72s %6.2fx  %s%n", describe(e.getKey()), ratio, verdict);
        }
      }
    }
    Map<String, Double> recalls = recalls(file);
    for (Scaling sc : SCALINGS) {
      Map<Map<String, String>, Run> runs = byParams(rows, sc.benchmarkClass(), sc.method());
      boolean header = false;
      for (var e : runs.entrySet()) {
        if (!sc.from().equals(e.getKey().get(sc.param()))) {
          continue;
        }
        Map<String, String> scaled = new LinkedHashMap<>(e.getKey());
        scaled.put(sc.param(), sc.to());
        Run to = runs.get(scaled);
        if (to == null) {
          continue;
        }
        if (!header) {
          out.printf(Locale.ROOT, "%s: %s at %s=%s / %s=%s, target >= %.2f (%s)%n",
              sc.benchmarkClass(), sc.method(), sc.param(), sc.to(), sc.param(), sc.from(), sc.target(), sc.why());
          header = true;
        }
        Map<String, String> others = new LinkedHashMap<>(e.getKey());
        others.remove(sc.param());
        double ratio = speed(to) / speed(e.getValue());
        String verdict = sc.targetApplies().test(e.getKey()) ? (ratio >= sc.target() ? "met" : "MISSED") : "(no target)";
        double recall = recalls.getOrDefault(to.benchmark() + to.params(), Double.NaN);
        out.printf(Locale.ROOT, "  %-72s %6.2fx  %s%s%n", describe(others), ratio, verdict,
            Double.isNaN(recall) ? "" : String.format(Locale.ROOT, " (recall %.4f at %s=%s)", recall, sc.param(), sc.to()));
      }
    }
    for (Efficiency eff : EFFICIENCIES) {
      Map<Map<String, String>, Run> peaks = byParams(rows, eff.benchmarkClass(), eff.peakMethod());
      if (peaks.isEmpty()) {
        continue;
      }
      out.printf(Locale.ROOT, "%s: achieved GFLOP/s against the GEMM peak of the same grid point (%s), target >= %.0f%% for %s%n",
          eff.benchmarkClass(), eff.peakMethod(), eff.target() * 100, eff.why());
      for (Run r : rows) {
        Run peak = peaks.get(r.params());
        if (!r.benchmarkClass().equals(eff.benchmarkClass()) || r.method().equals(eff.peakMethod()) || peak == null || Double.isNaN(r.flopRate())) {
          continue;
        }
        double share = r.flopRate() / peak.flopRate();
        String verdict = eff.targetApplies().test(r.params()) ? (share >= eff.target() ? "met" : "MISSED") : "(no target)";
        out.printf(Locale.ROOT, "  %-13s %-72s %7.2f of %7.2f GFLOP/s = %5.1f%%  %s%n",
            r.method(), describe(r.params()), r.flopRate() / 1e9, peak.flopRate() / 1e9, share * 100, verdict);
      }
    }
  }

  /**
   * The {@code recall} secondary metric per benchmark and parameters: the mean of its raw
   * per-iteration values (JMH sums an EVENTS counter over iterations in its own score).
   */
  private static Map<String, Double> recalls(Path file) {
    Map<String, Double> out = new LinkedHashMap<>();
    com.fasterxml.jackson.databind.JsonNode root = dev.negbench.io.Json.read(file, com.fasterxml.jackson.databind.JsonNode.class);
    for (com.fasterxml.jackson.databind.JsonNode n : root) {
      com.fasterxml.jackson.databind.JsonNode raw = n.path("secondaryMetrics").path("recall").path("rawData");
      double sum = 0;
      int count = 0;
      for (com.fasterxml.jackson.databind.JsonNode fork : raw) {
        for (com.fasterxml.jackson.databind.JsonNode v : fork) {
          sum += v.asDouble();
          count++;
        }
      }
      if (count > 0) {
        Map<String, String> params = new java.util.TreeMap<>();
        n.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        out.put(n.path("benchmark").asText() + params, sum / count);
      }
    }
    return out;
  }

  private static Map<Map<String, String>, Run> byParams(List<Run> rows, String benchmarkClass, String method) {
    Map<Map<String, String>, Run> out = new LinkedHashMap<>();
    for (Run r : rows) {
      if (r.benchmarkClass().equals(benchmarkClass) && r.method().equals(method)) {
        out.put(r.params(), r);
      }
    }
    return out;
  }

  private static String describe(Map<String, String> params) {
    StringBuilder s = new StringBuilder();
    params.forEach((k, v) -> s.append(s.isEmpty() ? "" : " ").append(k).append('=').append(v));
    return s.toString();
  }
}

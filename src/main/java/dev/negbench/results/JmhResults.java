package dev.negbench.results;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JMH results as written by {@code -rf json}: one file, its kernels and the settings each carries.
 */
public record JmhResults(String file, List<Kernel> kernels) {
  /**
   * One benchmark at one parameter point.
   *
   * @param flopRate the {@code flop} secondary metric (FLOP/s) of kernels that count their
   *     floating-point operations, NaN for the others
   * @param recall the {@code recall} secondary metric (share of the exact top k found) of search
   *     kernels, the mean of its per-iteration values ({@link #perIteration}), NaN for the others
   * @param secondaryByFork every secondary metric's per-iteration mean in each fork ({@link
   *     #perIteration}), by name: what a kernel that times two sides in the same forks reports each
   *     side's seconds in
   */
  /** The JVM argument that records the commit a run was measured at. */
  public static final String COMMIT_ARG = "-Dnegbench.commit=";

  public record Kernel(
      String benchmark,
      String mode,
      Map<String, String> params,
      double score,
      double error,
      String unit,
      int threads,
      int forks,
      String jvm,
      List<String> jvmArgs,
      String warmup,
      String measurement,
      double flopRate,
      double recall,
      Map<String, double[]> secondaryByFork) {

    /** A run without per-fork secondary metrics. */
    public Kernel(
        String benchmark,
        String mode,
        Map<String, String> params,
        double score,
        double error,
        String unit,
        int threads,
        int forks,
        String jvm,
        List<String> jvmArgs,
        String warmup,
        String measurement,
        double flopRate,
        double recall) {
      this(
          benchmark,
          mode,
          params,
          score,
          error,
          unit,
          threads,
          forks,
          jvm,
          jvmArgs,
          warmup,
          measurement,
          flopRate,
          recall,
          Map.of());
    }

    /** {@code Class.method} without the package. */
    public String shortName() {
      String[] parts = benchmark.split("\\.");
      return parts.length >= 2
          ? parts[parts.length - 2] + "." + parts[parts.length - 1]
          : benchmark;
    }

    /** The benchmark class's simple name: {@code CrossEncoderBenchmark}. */
    public String benchmarkClass() {
      String[] parts = benchmark.split("\\.");
      return parts.length >= 2 ? parts[parts.length - 2] : "";
    }

    /**
     * The commit the run was measured at: {@code -Dnegbench.commit=} in its JVM arguments, which
     * {@code bin/negbench bench} (through the pom's {@code jmh.jvmArgs}) passes to every fork; a
     * trailing {@code +dirty} marks uncommitted changes. Empty for runs that did not record it.
     */
    public String commit() {
      for (String a : jvmArgs) {
        if (a.startsWith(COMMIT_ARG)) {
          return a.substring(COMMIT_ARG.length());
        }
      }
      return "";
    }

    /** The benchmark method: {@code bucketed}. */
    public String method() {
      return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** {@code k=v, k=v} in key order. */
    public String paramText() {
      StringBuilder b = new StringBuilder();
      params.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append('=').append(v));
      return b.toString();
    }
  }

  /** Every {@code *.json} under {@code dir}, by file name. */
  public static List<JmhResults> readAll(Path dir) {
    List<JmhResults> all = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return all;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
      s.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    files.sort(null);
    for (Path f : files) {
      all.add(read(f));
    }
    return all;
  }

  public static JmhResults read(Path file) {
    JsonNode root = Json.read(file, JsonNode.class);
    if (!root.isArray()) {
      throw new DatasetFormatException(
          file, 1, "expected a JMH -rf json array of benchmark results");
    }
    List<Kernel> kernels = new ArrayList<>();
    for (JsonNode n : root) {
      JsonNode pm = n.get("primaryMetric");
      if (pm == null || !n.hasNonNull("benchmark")) {
        throw new DatasetFormatException(
            file, 0, "expected every entry to have \"benchmark\" and \"primaryMetric\"");
      }
      Map<String, String> params = new TreeMap<>();
      n.path("params")
          .fields()
          .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
      List<String> args = new ArrayList<>();
      n.path("jvmArgs").forEach(a -> args.add(a.asText()));
      String jvm =
          (n.path("vmName").asText("")
                  + " "
                  + n.path("jdkVersion").asText("")
                  + " ("
                  + n.path("vmVersion").asText("")
                  + ")")
              .trim();
      kernels.add(
          new Kernel(
              n.get("benchmark").asText(),
              n.path("mode").asText(""),
              params,
              pm.path("score").asDouble(Double.NaN),
              pm.path("scoreError").asDouble(Double.NaN),
              pm.path("scoreUnit").asText(""),
              n.path("threads").asInt(1),
              n.path("forks").asInt(0),
              jvm,
              args,
              n.path("warmupIterations").asInt(0) + " x " + n.path("warmupTime").asText("?"),
              n.path("measurementIterations").asInt(0)
                  + " x "
                  + n.path("measurementTime").asText("?"),
              n.path("secondaryMetrics").path("flop").path("score").asDouble(Double.NaN),
              mean(perIteration(n.path("secondaryMetrics").path("recall"))),
              meansByFork(n.path("secondaryMetrics"))));
    }
    return new JmhResults(file.getFileName().toString(), kernels);
  }

  /**
   * A secondary metric's values, per fork and per iteration (its {@code rawData}); empty when the
   * entry has no such metric. The one way this project reads a secondary metric's values: for an
   * {@code @AuxCounters(EVENTS)} counter (a search's recall, a side's seconds) JMH's own {@code
   * score} is the sum over the iterations, which is no value of the kernel; the value of one
   * iteration is what the counter means.
   */
  public static double[][] perIteration(JsonNode metric) {
    JsonNode raw = metric.path("rawData");
    double[][] out = new double[raw.size()][];
    for (int f = 0; f < out.length; f++) {
      JsonNode fork = raw.get(f);
      out[f] = new double[fork.size()];
      for (int i = 0; i < out[f].length; i++) {
        out[f][i] = fork.get(i).asDouble();
      }
    }
    return out;
  }

  /** The mean of {@code values}, NaN when there are none. */
  public static double mean(double[]... values) {
    double sum = 0;
    int count = 0;
    for (double[] row : values) {
      for (double v : row) {
        sum += v;
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  /** Each secondary metric's per-iteration mean in each fork, by name, in the file's order. */
  private static Map<String, double[]> meansByFork(JsonNode secondary) {
    Map<String, double[]> out = new LinkedHashMap<>();
    secondary
        .fields()
        .forEachRemaining(
            e -> {
              double[][] values = perIteration(e.getValue());
              double[] means = new double[values.length];
              for (int f = 0; f < means.length; f++) {
                means[f] = mean(values[f]);
              }
              out.put(e.getKey(), means);
            });
    return out;
  }
}

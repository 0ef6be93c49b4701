package dev.negbench.results;

import dev.negbench.results.JmhResults.Kernel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The ratios the JMH kernels exist to answer (STYLE rule 7): each variant against the baseline in
 * its own class, and achieved GFLOP/s against the GEMM peak measured in the same run, each beside
 * its target ({@link KernelStage} says which pipeline stage each kernel class times). {@code mvn
 * jmh:run} prints them ({@code dev.negbench.bench.JmhSummary}) and the report renders them.
 */
public final class JmhRatios {
  /**
   * A variant/baseline pair of one class and the speed ratio it should reach where {@code
   * targetApplies}; where {@code minRecall} is a number, the variant must also reach that recall
   * (its secondary metric) for the target to count as met.
   */
  public record Comparison(
      String benchmarkClass,
      String variant,
      String baseline,
      double target,
      Predicate<Map<String, String>> targetApplies,
      String why,
      double minRecall) {
    /** A comparison of speed alone. */
    public Comparison(
        String benchmarkClass,
        String variant,
        String baseline,
        double target,
        Predicate<Map<String, String>> targetApplies,
        String why) {
      this(benchmarkClass, variant, baseline, target, targetApplies, why, Double.NaN);
    }
  }

  /**
   * One method at two values of a parameter, the other parameters equal (2 threads against 1, HNSW
   * against exact): reported as a {@link Ratio} whose comparison names the two values.
   */
  public record Scaling(
      String benchmarkClass,
      String method,
      String param,
      String from,
      String to,
      double target,
      Predicate<Map<String, String>> targetApplies,
      String why,
      double minRecall) {
    Comparison asComparison() {
      return new Comparison(
          benchmarkClass,
          method + " " + param + "=" + to,
          method + " " + param + "=" + from,
          target,
          targetApplies,
          why,
          minRecall);
    }
  }

  private static final List<Scaling> BASE_SCALINGS =
      List.of(
          new Scaling(
              "DenseSearchBenchmark",
              "search",
              "index",
              "exact",
              "hnsw",
              20,
              p -> "1000000".equals(p.get("docs")),
              "HNSW (its recall@100, a secondary metric, at least 0.95) against the exact scan at 1,000,000 documents",
              0.95),
          new Scaling(
              "CrossEncoderMiningBenchmark",
              "mine",
              "threads",
              "1",
              "2",
              1.7,
              p -> true,
              "cross-encoder mining uses both cores: every stage of a query runs on its own worker",
              Double.NaN));

  /** The scalings: {@link #BASE_SCALINGS}, then {@link QuantizeRatios#SCALINGS}. */
  public static final List<Scaling> SCALINGS =
      Stream.concat(BASE_SCALINGS.stream(), QuantizeRatios.SCALINGS.stream()).toList();

  /**
   * Two sides timed in the same forks on the same work by one benchmark method, each side's seconds
   * a secondary metric: the speed ratio is the baseline's seconds over the variant's, each side's
   * per-iteration mean over forks and iterations. Forks of their own differ by more than the
   * ratio's target allows on a small VM (docs/results/million-documents.md); inside one fork both
   * sides share it.
   */
  public record Pairing(
      String benchmarkClass,
      String method,
      String variantSeconds,
      String baselineSeconds,
      double target,
      Predicate<Map<String, String>> targetApplies,
      String why) {}

  public static final List<Pairing> PAIRINGS =
      List.of(
          new Pairing(
              "Bm25MiningBenchmark",
              "paired",
              "mineSeconds",
              "plainSeconds",
              0.9,
              JmhRatios::equalDepth,
              "mining costs at most 10% over plain Lucene search at the same depth (sampling=random), both timed in the same forks on the same queries"));

  /** A kernel's FLOP rate against the class's GEMM reference, with a target where one applies. */
  public record Efficiency(
      String benchmarkClass,
      String peakMethod,
      double target,
      Predicate<Map<String, String>> targetApplies,
      String why) {}

  public static final List<Comparison> COMPARISONS =
      List.of(
          new Comparison(
              "Bm25MiningBenchmark",
              "mine",
              "plainSearch",
              0.9,
              JmhRatios::equalDepth,
              "mining costs at most 10% over plain Lucene search at the same depth (sampling=random)"),
          // At 128 tokens nearly every pair of the mix reaches the cap, so all lengths are equal
          // and
          // there is nothing to bucket; lengths=full is equal by construction.
          new Comparison(
              "CrossEncoderBenchmark",
              "bucketed",
              "naivePadding",
              1.5,
              p ->
                  "mix".equals(p.get("lengths"))
                      && Integer.parseInt(p.getOrDefault("maxLength", "0")) >= 256,
              "length bucketing on realistic length mixes: lengths=mix at 256 and 512 tokens"),
          new Comparison(
              "EvaluationBenchmark",
              "streamed",
              "parseAndEvaluate",
              1.0,
              p -> true,
              "streaming the run file costs no speed against parsing it whole first, on one thread"),
          new Comparison(
              "GenerationBenchmark",
              "client",
              "bareHttpClient",
              0.8,
              p -> Set.of("64", "1000").contains(p.get("concurrency")),
              "the generation client's overhead against a bare HttpClient loop, at 64 and 1,000 concurrent requests"));

  public static final List<Efficiency> EFFICIENCIES =
      List.of(
          new Efficiency(
              "DenseSearchBenchmark",
              "gemmPeak",
              0.5,
              p -> "exact".equals(p.get("index")),
              "the exact dense scan (FLOP: 2 x documents x dimension per query) against ONNX Runtime's MatMul"),
          new Efficiency(
              "DenseSearchBenchmark",
              "gemmVectorApi",
              0.5,
              p -> "exact".equals(p.get("index")),
              "the exact dense scan against the same shape through its own Vector API micro-kernel, no top-k"),
          new Efficiency(
              "CrossEncoderBenchmark",
              "gemmPeak",
              0.5,
              p -> "minilm".equals(p.get("model")),
              "the MiniLM-L6 kernel (the real cross-encoder cost)"));

  /**
   * BM25 mining reads as deep as the plain top-100 loop only with {@code sampling=random}; with
   * {@code top} it asks Lucene for about 11 hits ({@code Bm25Miner}), so a ratio there measures the
   * depth, not the miner's cost.
   */
  static boolean equalDepth(Map<String, String> p) {
    return "random".equals(p.get("sampling"));
  }

  /**
   * A variant against its baseline at one parameter point: the speed ratio and its error
   * (first-order propagation of both scores' 99.9% errors, NaN when JMH gave none).
   */
  public record Ratio(
      Comparison comparison,
      Map<String, String> params,
      Kernel variant,
      Kernel baseline,
      double ratio,
      double error) {
    public boolean targetApplies() {
      return comparison.targetApplies().test(params);
    }

    /**
     * The ratio reaches the target, and the variant's recall the comparison's least recall where it
     * sets one.
     */
    public boolean met() {
      return ratio >= comparison.target()
          && (Double.isNaN(comparison.minRecall()) || variant.recall() >= comparison.minRecall());
    }
  }

  /**
   * A kernel's achieved FLOP rate as a share of the GEMM peak of the same parameter point. A share
   * over 1 is no result: the kernel's own GEMMs cannot beat the peak, so the peak was mis-measured.
   */
  public record Share(Efficiency efficiency, Kernel kernel, Kernel peak, double share) {
    public boolean targetApplies() {
      return efficiency.targetApplies().test(kernel.params());
    }

    /** At most the peak: a measurement, not a mis-measured peak. */
    public boolean valid() {
      return share <= 1;
    }

    public boolean met() {
      return valid() && share >= efficiency.target();
    }
  }

  /**
   * A {@link Pairing} at one parameter point: both sides' seconds, their ratio, and the lowest and
   * highest ratio of a single fork.
   */
  public record PairedRatio(
      Pairing pairing,
      Kernel run,
      double variantSeconds,
      double baselineSeconds,
      double ratio,
      double lowestFork,
      double highestFork) {
    public boolean targetApplies() {
      return pairing.targetApplies().test(run.params());
    }

    public boolean met() {
      return ratio >= pairing.target();
    }
  }

  private JmhRatios() {}

  /** Operations per second, whether JMH measured throughput or time per operation. */
  public static double speed(Kernel r) {
    return r.unit().endsWith("/op") ? 1 / r.score() : r.score();
  }

  /**
   * Every variant/baseline ratio of {@code kernels}, comparisons in {@link #COMPARISONS} order,
   * then the variant's order.
   */
  public static List<Ratio> ratios(List<Kernel> kernels) {
    List<Ratio> out = new ArrayList<>();
    for (Comparison c : COMPARISONS) {
      Map<Map<String, String>, Kernel> variants =
          byParams(kernels, c.benchmarkClass(), c.variant());
      Map<Map<String, String>, Kernel> baselines =
          byParams(kernels, c.benchmarkClass(), c.baseline());
      for (var e : variants.entrySet()) {
        Kernel base = baselines.get(e.getKey());
        if (base == null) {
          continue;
        }
        double ratio = speed(e.getValue()) / speed(base);
        // Relative errors add in quadrature; time per operation has the same relative error as its
        // inverse.
        double rel =
            Math.hypot(e.getValue().error() / e.getValue().score(), base.error() / base.score());
        out.add(new Ratio(c, e.getKey(), e.getValue(), base, ratio, ratio * rel));
      }
    }
    for (Scaling sc : SCALINGS) {
      Comparison c = sc.asComparison();
      Map<Map<String, String>, Kernel> all = byParams(kernels, sc.benchmarkClass(), sc.method());
      for (var e : all.entrySet()) {
        if (!sc.from().equals(e.getKey().get(sc.param()))) {
          continue;
        }
        Map<String, String> scaled = new TreeMap<>(e.getKey());
        scaled.put(sc.param(), sc.to());
        Kernel to = all.get(scaled);
        if (to == null) {
          continue;
        }
        Map<String, String> others = new TreeMap<>(e.getKey());
        others.remove(sc.param());
        double ratio = speed(to) / speed(e.getValue());
        double rel =
            Math.hypot(to.error() / to.score(), e.getValue().error() / e.getValue().score());
        out.add(new Ratio(c, others, to, e.getValue(), ratio, ratio * rel));
      }
    }
    return out;
  }

  /** Every {@link #PAIRINGS} ratio of {@code kernels}, pairings in order, then the kernels'. */
  public static List<PairedRatio> pairedRatios(List<Kernel> kernels) {
    List<PairedRatio> out = new ArrayList<>();
    for (Pairing p : PAIRINGS) {
      for (Kernel r : kernels) {
        double[] variant = r.secondaryByFork().get(p.variantSeconds());
        double[] baseline = r.secondaryByFork().get(p.baselineSeconds());
        if (!r.benchmarkClass().equals(p.benchmarkClass())
            || !r.method().equals(p.method())
            || variant == null
            || baseline == null
            || variant.length != baseline.length
            || variant.length == 0) {
          continue;
        }
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int f = 0; f < variant.length; f++) {
          low = Math.min(low, baseline[f] / variant[f]);
          high = Math.max(high, baseline[f] / variant[f]);
        }
        double v = JmhResults.mean(variant);
        double b = JmhResults.mean(baseline);
        out.add(new PairedRatio(p, r, v, b, b / v, low, high));
      }
    }
    return out;
  }

  /** Every kernel's share of its class's GEMM peak, in {@code kernels} order. */
  public static List<Share> shares(List<Kernel> kernels) {
    List<Share> out = new ArrayList<>();
    for (Efficiency eff : EFFICIENCIES) {
      Map<Map<String, String>, Kernel> peaks =
          byParams(kernels, eff.benchmarkClass(), eff.peakMethod());
      for (Kernel r : kernels) {
        Kernel peak = peaks.get(r.params());
        if (!r.benchmarkClass().equals(eff.benchmarkClass())
            || isPeak(r)
            || peak == null
            || Double.isNaN(r.flopRate())) {
          continue;
        }
        out.add(new Share(eff, r, peak, r.flopRate() / peak.flopRate()));
      }
    }
    return out;
  }

  /**
   * Whether {@code r} is one of its class's GEMM references rather than a kernel measured against
   * them.
   */
  private static boolean isPeak(Kernel r) {
    return EFFICIENCIES.stream()
        .anyMatch(
            e ->
                e.benchmarkClass().equals(r.benchmarkClass()) && e.peakMethod().equals(r.method()));
  }

  /** {@code k=v k=v} in key order. */
  public static String describe(Map<String, String> params) {
    StringBuilder s = new StringBuilder();
    params.forEach((k, v) -> s.append(s.isEmpty() ? "" : " ").append(k).append('=').append(v));
    return s.toString();
  }

  private static Map<Map<String, String>, Kernel> byParams(
      List<Kernel> rows, String benchmarkClass, String method) {
    Map<Map<String, String>, Kernel> out = new LinkedHashMap<>();
    for (Kernel r : rows) {
      if (r.benchmarkClass().equals(benchmarkClass) && r.method().equals(method)) {
        out.put(r.params(), r);
      }
    }
    return out;
  }
}

package dev.negbench.results;

import java.util.List;
import java.util.Map;

/** JMH kernels made by hand for the tests of the readers and the report's kernel tables. */
public final class JmhKernels {
  private JmhKernels() {}

  /**
   * A {@code CrossEncoderBenchmark} method at the all-MiniLM-L6-v2 shape (256 tokens, batch 64)
   * that achieved {@code flopRate} FLOP/s.
   */
  public static JmhResults.Kernel crossEncoder(String method, double flopRate) {
    return new JmhResults.Kernel(
        "dev.negbench.bench.CrossEncoderBenchmark." + method,
        "thrpt",
        Map.of("model", "minilm", "maxLength", "256", "batchSize", "64"),
        10,
        0,
        "ops/s",
        1,
        1,
        "",
        List.of(),
        "",
        "",
        flopRate,
        Double.NaN);
  }
}

package dev.negbench.results;

import dev.negbench.results.JmhRatios.Scaling;
import java.util.List;
import java.util.Map;

/**
 * The targets of int8 inference ({@code export-onnx --quantize int8}; docs/results/int8.md): the
 * kernels' {@code quantize=int8} against float ONNX Runtime and against langchain4j's published
 * int8 all-MiniLM-L6-v2, at the shape the targets are set at. Part of {@link JmhRatios#SCALINGS}.
 */
final class QuantizeRatios {
  static final List<Scaling> SCALINGS =
      List.of(
          new Scaling(
              "CrossEncoderBenchmark",
              "bucketed",
              "quantize",
              "none",
              "int8",
              2,
              QuantizeRatios::miniLmAt256Batch64TwoThreads,
              "int8 cross-encoder scoring (export-onnx --quantize int8) against float ONNX Runtime, MiniLM-L6 at 256 tokens, batch 64, 2 threads",
              Double.NaN),
          new Scaling(
              "EncodeBenchmark",
              "encode",
              "quantize",
              "none",
              "int8",
              2,
              QuantizeRatios::miniLmAt256Batch64TwoThreads,
              "int8 encoding against float ONNX Runtime, all-MiniLM-L6-v2 at 256 tokens, batch 64, 2 threads",
              Double.NaN),
          new Scaling(
              "EncodeBenchmark",
              "encode",
              "quantize",
              "langchain4j-int8",
              "int8",
              1,
              QuantizeRatios::miniLmAt256Batch64TwoThreads,
              "negbench's int8 all-MiniLM-L6-v2 at least as fast as langchain4j's published int8 file",
              Double.NaN));

  private QuantizeRatios() {}

  /** The int8 targets' shape: all-MiniLM-L6-v2, 256 tokens, batch 64, 2 threads. */
  static boolean miniLmAt256Batch64TwoThreads(Map<String, String> p) {
    return "minilm".equals(p.get("model"))
        && "256".equals(p.get("maxLength"))
        && "64".equals(p.get("batchSize"))
        && "2".equals(p.get("threads"));
  }
}

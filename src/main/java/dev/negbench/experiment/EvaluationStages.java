package dev.negbench.experiment;

import dev.negbench.io.DatasetFormatException;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.model.Device;
import dev.negbench.model.Encoders;
import dev.negbench.model.OnnxExport;
import dev.negbench.model.OnnxGraph;
import dev.negbench.model.Quantization;
import dev.negbench.model.TextEncoder;
import dev.negbench.results.CellResult;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The evaluation of models on one dataset: dense retrieval of its evaluation split ({@code eval}
 * stage, after an {@code export} stage for a checkpoint encoded through ONNX), the metrics of a
 * result, and the engine that encoded it.
 */
final class EvaluationStages {
  private final Pipeline p;
  private final ExperimentConfig config;
  private final DatasetInputs inputs;
  private final SharedInputs shared;

  EvaluationStages(Pipeline pipeline, DatasetInputs inputs, SharedInputs shared) {
    this.p = pipeline;
    this.config = pipeline.config;
    this.inputs = inputs;
    this.shared = shared;
  }

  /**
   * True when evaluation encodes {@code model} through its ONNX export: a trained checkpoint (DJL's
   * by its files) evaluated on the CPU with the standard steps.
   */
  private boolean exportsForEvaluation(String model) {
    return p.steps.exportCheckpoints()
        && Device.parse(config.evaluationDevice()) == Device.CPU
        && Encoders.engineFor(model) == Encoders.Engine.DJL;
  }

  /**
   * The engine evaluation encodes {@code model} on, for provenance; null when the folder names none
   * (a test's own encoders).
   */
  String engine(String model) {
    try {
      Quantization q = config.evaluation().quantization();
      if (q != Quantization.NONE) {
        return "onnxruntime (export-onnx --quantize " + q.label() + ")";
      }
      if (exportsForEvaluation(model)) {
        return "onnxruntime (export-onnx)";
      }
      return Encoders.engineFor(model) == Encoders.Engine.ONNX ? "onnxruntime" : "djl";
    } catch (DatasetFormatException e) {
      return null;
    }
  }

  /**
   * A checkpoint exported to ONNX ({@code export-onnx}), as a cached stage keyed by the
   * checkpoint's files.
   */
  private String exported(String checkpoint, String what, Quantization q, double[] seconds) {
    Map<String, Object> key = new TreeMap<>();
    key.put("checkpoint", p.modelChecksum(checkpoint));
    key.put("opset", OnnxGraph.OPSET);
    if (q != Quantization.NONE) {
      key.put("quantize", q.label()); // float exports keep the key they had
    }
    StageCache.Entry export =
        p.stage(
            "export",
            inputs.name() + "/" + what,
            key,
            out -> OnnxExport.export(checkpoint, out.resolve("onnx"), q),
            seconds);
    return export.dir().resolve("onnx").toString();
  }

  /** Dense retrieval of the evaluation split with {@code model}, cached by the model's checksum. */
  StageCache.Entry evaluate(String checkpoint, String what, double[] seconds) {
    EvaluationPlan e = config.evaluation();
    Quantization q = e.quantization();
    boolean export = exportsForEvaluation(checkpoint);
    String model =
        export || q != Quantization.NONE ? exported(checkpoint, what, q, seconds) : checkpoint;
    Map<String, Object> key = new TreeMap<>();
    key.put("corpus", inputs.checksum("corpus"));
    key.put("queries", inputs.checksum("queries"));
    key.put("qrels", inputs.checksum("eval_qrels"));
    key.put("split", e.split());
    key.put("top_k", e.topK());
    key.put("max_length", e.maxLength());
    key.put("model", p.modelChecksum(checkpoint));
    if (export) {
      key.put(
          "engine",
          "onnxruntime-export"); // earlier results of the same checkpoint encoded on DJL keep their
      // stage
    }
    if (q != Quantization.NONE) {
      key.put("quantize", q.label()); // unset: float, the key it always had
    }
    if (e.denseIndex() != null) {
      key.put(
          "dense_index", e.denseIndex()); // unset: the key runs made before the setting existed had
    }
    return p.stage(
        "eval",
        inputs.name() + "/" + what,
        key,
        out -> {
          DenseEmbeddings corpus =
              shared.embeddings(model, e.maxLength(), config.evaluationDevice());
          try (TextEncoder enc =
              p.encoder(model, e.maxLength(), e.batchSize(), config.evaluationDevice())) {
            Evaluation.search(
                inputs.dataset(),
                e,
                inputs.queries(),
                corpus,
                enc,
                "negbench-" + config.name(),
                p.threads,
                p.progress,
                p.work,
                out);
          }
        },
        seconds);
  }

  /** The result of an {@link #evaluate} stage: its metrics, with how the model was trained. */
  CellResult result(
      String source, String type, long seed, Path evalDir, Map<String, Object> training) {
    return Evaluation.score(
        config, inputs.name(), inputs.dataset(), source, type, seed, evalDir, training);
  }
}

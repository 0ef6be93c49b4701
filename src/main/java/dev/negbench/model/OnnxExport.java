package dev.negbench.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;

/**
 * Exports a Hugging Face checkpoint (a {@code train} bi-encoder or a {@code train-ce}
 * cross-encoder, or any DistilBERT/BERT folder) as an ONNX model folder that {@link OnnxEncoder}
 * and {@link CrossEncoder} open: {@code model.onnx} built by {@link OnnxGraph}, the checkpoint's
 * {@code tokenizer.json} and {@code config.json}, and {@code export.json} naming the weights it
 * came from. The folder is written beside its target and moved into place once ONNX Runtime has
 * opened it, so a failed export leaves nothing.
 */
public final class OnnxExport {
  /**
   * What an export wrote: the folder, the architecture, model.onnx's size and the source weights'
   * SHA-256.
   */
  public record Exported(
      Path dir, String architecture, String output, long bytes, String weightsSha256) {}

  public static final String MARKER = "export.json";

  private OnnxExport() {}

  public static Exported export(String model, Path out) {
    return export(model, out, Quantization.NONE);
  }

  /**
   * As {@link #export(String, Path)}, with the encoder's linear layers in dynamic int8 when {@code
   * quantization} is {@link Quantization#INT8} ({@link OnnxGraph#build(TransformerConfig, Map,
   * Quantization)}); {@code export.json} records it as {@code "quantize": "int8"}. The source may
   * be the built-in ONNX model: its float weights are read back from the graph ({@link
   * OnnxWeights}) and the graph is rebuilt with them.
   */
  public static Exported export(String model, Path out, Quantization quantization) {
    Path src = BuiltinModels.resolve(model);
    Path weightsFile = weightsFile(src);
    Path tokenizer = src.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizer)) {
      throw new DatasetFormatException(
          tokenizer, 0, "file not found; expected the model's Hugging Face tokenizer.json");
    }
    TransformerConfig config = TransformerConfig.read(src.resolve("config.json"));
    Map<String, SafeTensors.Tensor> weights;
    if (weightsFile.getFileName().toString().equals(DjlModel.WEIGHTS)) {
      weights = SafeTensors.read(weightsFile);
    } else {
      String already = quantizationOf(src);
      if (!already.equals(Quantization.NONE.label())) {
        throw new DatasetFormatException(
            src.resolve(MARKER),
            0,
            "the model is already quantized ("
                + already
                + "); expected a float checkpoint or ONNX export to export from");
      }
      weights = OnnxWeights.read(weightsFile);
    }
    checkShapes(config, weights, weightsFile);
    byte[] onnx;
    try {
      onnx = OnnxGraph.build(config, weights, quantization);
    } catch (IllegalArgumentException e) {
      throw new DatasetFormatException(weightsFile, 0, e.getMessage(), e);
    }
    Path target = out.toAbsolutePath().normalize();
    Path tmp = target.resolveSibling("." + target.getFileName() + ".export-tmp");
    try {
      if (Files.exists(target) && !Files.isDirectory(target)) {
        throw new IllegalArgumentException(
            target + " is a file; expected a folder to write the ONNX model into");
      }
      AtomicFiles.deleteTree(tmp);
      Files.createDirectories(tmp);
      Files.write(tmp.resolve("model.onnx"), onnx);
      Files.copy(tokenizer, tmp.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
      ObjectNode json = config.json().deepCopy();
      json.putArray("architectures").add(config.architecture());
      Json.write(tmp.resolve("config.json"), json);
      ObjectNode marker = Json.PLAIN.createObjectNode();
      marker.put("source", src.toAbsolutePath().normalize().toString());
      String sha = AtomicFiles.sha256(weightsFile);
      marker.put("weights_sha256", sha);
      marker.put("architecture", config.architecture());
      marker.put("opset", OnnxGraph.OPSET);
      marker.put("exporter", "negbench OnnxGraph");
      if (quantization != Quantization.NONE) {
        marker.put("quantize", quantization.label());
      }
      Json.write(tmp.resolve(MARKER), marker);
      String output;
      // ONNX Runtime must open what was written, and expose what the readers ask for.
      try (OnnxModel m = OnnxModel.open(tmp, 8, 1)) {
        output = config.labels() > 0 ? "logits" : "last_hidden_state";
        if (!m.outputs().containsKey(output)) {
          throw new IllegalStateException(
              "the exported graph has outputs " + m.outputs().keySet() + "; expected " + output);
        }
      }
      AtomicFiles.deleteTree(target);
      Files.createDirectories(target.getParent());
      AtomicFiles.move(tmp, target);
      return new Exported(target, config.architecture(), output, onnx.length, sha);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    } finally {
      try {
        AtomicFiles.deleteTree(tmp);
      } catch (IOException ignored) {
        // best effort: the original outcome matters more
      }
    }
  }

  /**
   * The file an export of {@code src} reads its weights from: {@code model.safetensors}, else
   * {@code model.onnx} or {@code onnx/model.onnx}; a missing folder or weights file is bad input
   * naming what was expected.
   */
  public static Path weightsFile(Path src) {
    if (!Files.isDirectory(src)) {
      throw new DatasetFormatException(
          src,
          0,
          "not a folder; expected a checkpoint folder (config.json, model.safetensors, tokenizer.json)");
    }
    Path safetensors = src.resolve(DjlModel.WEIGHTS);
    if (Files.isRegularFile(safetensors)) {
      return safetensors;
    }
    if (CrossEncoders.isOnnx(src)) {
      return Files.isRegularFile(src.resolve("model.onnx"))
          ? src.resolve("model.onnx")
          : src.resolve("onnx").resolve("model.onnx");
    }
    throw new DatasetFormatException(
        safetensors, 0, "file not found; expected the checkpoint's weights (model.safetensors)");
  }

  /**
   * What {@code dir}'s {@code export.json} says of its quantization: {@code "none"} when there is
   * no marker or it names none (every float export before int8 existed).
   */
  public static String quantizationOf(Path dir) {
    Path marker = dir.resolve(MARKER);
    if (!Files.isRegularFile(marker)) {
      return Quantization.NONE.label();
    }
    return Json.read(marker, JsonNode.class).path("quantize").asText(Quantization.NONE.label());
  }

  /** The source weights' SHA-256 that {@code dir}'s {@code export.json} records, or "". */
  static String weightsSha256Of(Path dir) {
    Path marker = dir.resolve(MARKER);
    return Files.isRegularFile(marker)
        ? Json.read(marker, JsonNode.class).path("weights_sha256").asText("")
        : "";
  }

  /** Every weight the graph needs, in the shape the config gives it. */
  private static void checkShapes(
      TransformerConfig config, Map<String, SafeTensors.Tensor> weights, Path source) {
    for (var e : config.parameterShapes(false).entrySet()) {
      SafeTensors.Tensor t = weights.get(e.getKey());
      if (t == null) {
        throw new DatasetFormatException(
            source,
            0,
            "tensor '"
                + e.getKey()
                + "' missing; expected Hugging Face names for "
                + config.architecture());
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new DatasetFormatException(
            source,
            0,
            "tensor '"
                + e.getKey()
                + "' has shape "
                + Arrays.toString(t.shape())
                + "; expected "
                + Arrays.toString(e.getValue()));
      }
    }
  }
}

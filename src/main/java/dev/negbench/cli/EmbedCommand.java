package dev.negbench.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.JsonLines;
import dev.negbench.model.Encoders;
import dev.negbench.model.Pooling;
import dev.negbench.model.Quantization;
import dev.negbench.model.TextEncoder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Encode texts with a bi-encoder and write their embeddings as JSONL.",
      "",
      "Reads FILE.jsonl rows {\"id\", \"text\"} and writes each back as {\"id\", \"text\", \"embedding\": [...]}: the model's token states pooled (mean over the attention mask, or the [CLS] state) and L2-normalised unless --no-normalize. --engine picks ONNX Runtime (a folder with model.onnx, or minilm) or DJL PyTorch (model.safetensors, or an ONNX export whose weights are imported), so the two can be compared on the same inputs.",
      "",
      "Example: negbench embed --model minilm --engine djl --texts texts.jsonl --out work/texts-djl.jsonl"
    })
final class EmbedCommand implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Mixin QuantizeOption quantize;

  @Option(
      names = "--model",
      paramLabel = "minilm|DIR",
      description = "Bi-encoder: 'minilm' or a model folder (default ${DEFAULT-VALUE}).")
  String model = "minilm";

  @Option(
      names = "--engine",
      paramLabel = "auto|djl|onnx",
      description =
          "auto: ONNX Runtime for minilm and folders with only model.onnx, DJL for model.safetensors (default ${DEFAULT-VALUE}).")
  String engine = "auto";

  @Option(
      names = "--texts",
      required = true,
      paramLabel = "FILE",
      description = "JSONL with a string \"id\" and \"text\" per line.")
  Path texts;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "JSONL to write (atomically); default standard output.")
  Path out;

  @Option(
      names = "--no-normalize",
      description = "Write the pooled vectors as they are, not L2-normalised.")
  boolean noNormalize;

  @Option(
      names = "--pooling",
      paramLabel = "mean|cls",
      description = "Token pooling (default ${DEFAULT-VALUE}; cls needs --engine djl).")
  String pooling = "mean";

  @Option(
      names = "--max-length",
      paramLabel = "L",
      description = "Tokens per text, longer ones truncated (default ${DEFAULT-VALUE}).")
  int maxLength = 256;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Texts per forward pass, batched by length (default ${DEFAULT-VALUE}).")
  int batchSize = 64;

  @Option(
      names = "--device",
      paramLabel = "cpu|cuda",
      description =
          "DJL device; on cuda the DJL encoder runs in float16 (default ${DEFAULT-VALUE}).")
  String device = "cpu";

  @Override
  public Integer call() {
    List<String> ids = new ArrayList<>();
    List<String> inputs = new ArrayList<>();
    JsonLines.forEachObject(
        texts,
        (lines, node) -> {
          if (!node.path("id").isTextual() && !node.path("id").isIntegralNumber()) {
            throw lines.error("expected a string field \"id\"");
          }
          ids.add(node.get("id").asText());
          inputs.add(JsonLines.requiredString(lines, node, "text"));
        });
    if (quantize.checked() != Quantization.NONE
        && Encoders.Engine.parse(engine) == Encoders.Engine.DJL) {
      throw new IllegalArgumentException(
          "--quantize "
              + quantize.quantize
              + " runs on ONNX Runtime; expected --engine auto or onnx");
    }
    long start = System.nanoTime();
    float[][] vectors;
    try (TextEncoder encoder =
            Encoders.open(
                quantize.model(model, common.workDir),
                maxLength,
                batchSize,
                common.threads,
                Encoders.Engine.parse(engine),
                device,
                Pooling.parse(pooling));
        var bar = common.progress().start("Encoding", inputs.size())) {
      vectors = encoder.encode(inputs, !noNormalize, bar);
    }
    AtomicFiles.WriterBody body =
        w -> {
          for (int i = 0; i < ids.size(); i++) {
            ObjectNode row = Json.PLAIN.createObjectNode();
            row.put("id", ids.get(i));
            row.put("text", inputs.get(i));
            ArrayNode e = row.putArray("embedding");
            for (float x : vectors[i]) {
              e.add(x);
            }
            w.write(Json.PLAIN.writeValueAsString(row));
            w.write('\n');
          }
        };
    if (out != null) {
      AtomicFiles.write(out, body);
    } else {
      try {
        BufferedWriter w =
            new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        body.write(w);
        w.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write to standard output", e);
      }
    }
    common.info(
        String.format(
            Locale.ROOT,
            "embedded %d texts (%d dimensions) in %.1f s%s",
            ids.size(),
            vectors.length == 0 ? 0 : vectors[0].length,
            (System.nanoTime() - start) / 1e9,
            out == null ? "" : " into " + out));
    return 0;
  }
}

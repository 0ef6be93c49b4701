package dev.negbench.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.JsonLines;
import dev.negbench.io.Progress;
import dev.negbench.model.CrossEncoders;
import dev.negbench.model.QueryPassage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Score (query, passage) pairs with a cross-encoder (ONNX Runtime, or DJL for a train-ce checkpoint).",
      "",
      "Reads JSONL rows with string fields \"query\" and \"passage\" and writes every row back, with all its fields, in input order, plus a \"score\" field: the raw logit of a one-label model, the positive-class (index 1) logit of a two-label model. The model folder holds model.onnx (or onnx/model.onnx), tokenizer.json and config.json, or is a train-ce checkpoint (model.safetensors), run on DJL PyTorch. Pairs are encoded as [CLS] query [SEP] passage [SEP], truncated longest-first, and run in batches of similar length.",
      "",
      "Example: negbench score --model models/ms-marco-MiniLM-L-6-v2 --pairs work/pairs.jsonl --out work/scored.jsonl"
    })
final class ScoreCommand implements Callable<Integer> {

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "Model folder: model.onnx or onnx/model.onnx, tokenizer.json, config.json; or a train-ce checkpoint.")
  Path model;

  @Option(
      names = "--pairs",
      required = true,
      paramLabel = "FILE",
      description = "JSONL, one {\"query\", \"passage\", ...} object a line.")
  Path pairs;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write to FILE (atomically) instead of stdout.")
  Path out;

  @picocli.CommandLine.Mixin PairOptions batching;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "ONNX Runtime intra-op threads (default: available processors, ${DEFAULT-VALUE} here).")
  int threads = Runtime.getRuntime().availableProcessors();

  @picocli.CommandLine.Mixin DeviceOption device;
  @picocli.CommandLine.Mixin QuantizeOption quantize;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Folder for --quantize's exports; git ignores it. Default: $NEGBENCH_WORK, else ./work.")
  Path workDir = CommonOptions.defaultWorkDir();

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress bar and no summary on stderr; errors are still printed.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    // Read and check every row before loading the model, so bad input fails fast and writes
    // nothing.
    quantize.checked();
    List<ObjectNode> rows = read(pairs);
    List<QueryPassage> input = new ArrayList<>(rows.size());
    for (ObjectNode row : rows) {
      input.add(new QueryPassage(row.get("query").asText(), row.get("passage").asText()));
    }
    long start = System.nanoTime();
    float[] scores;
    try (CrossEncoders.Opened encoder =
            CrossEncoders.open(
                quantize.model(model, workDir),
                batching.maxLength,
                batching.batchSize,
                threads,
                device.checked());
        Progress progress = new ConsoleProgress(quiet).start("score", rows.size())) {
      scores = encoder.score(input, progress);
    }
    for (int i = 0; i < rows.size(); i++) {
      rows.get(i).put("score", scores[i]);
    }
    if (out != null) {
      AtomicFiles.write(out, w -> write(rows, w));
    } else {
      BufferedWriter w =
          new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
      write(rows, w);
      w.flush();
    }
    if (!quiet) {
      double seconds = (System.nanoTime() - start) / 1e9;
      System.err.printf(
          Locale.ROOT,
          "scored %d pairs in %.1f s (%.0f pairs/s)%n",
          rows.size(),
          seconds,
          rows.size() / Math.max(seconds, 1e-9));
    }
    return 0;
  }

  private static List<ObjectNode> read(Path file) {
    List<ObjectNode> rows = new ArrayList<>();
    JsonLines.forEachObject(
        file,
        (lines, node) -> {
          JsonLines.requiredString(lines, node, "query");
          JsonLines.requiredString(lines, node, "passage");
          rows.add((ObjectNode) node);
        });
    return rows;
  }

  private static void write(List<ObjectNode> rows, BufferedWriter w) throws IOException {
    for (ObjectNode row : rows) {
      w.write(Json.PLAIN.writeValueAsString(row));
      w.write('\n');
    }
  }
}

package dev.negbench.cli;

import dev.negbench.model.OnnxExport;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "export-onnx",
    mixinStandardHelpOptions = true,
    description = {
      "Export a trained checkpoint as an ONNX model folder for ONNX Runtime.",
      "",
      "Takes a Hugging Face folder of a DistilBERT or BERT (a train bi-encoder, a train-ce cross-encoder, or any such folder with model.safetensors) and writes --out with model.onnx (opset 17), tokenizer.json, config.json and export.json (the source folder and its weights' SHA-256). The graph computes what negbench's DJL encoder does: a bi-encoder outputs last_hidden_state (embed, dense-search and mine-dense mean-pool it), a cross-encoder logits from its classification head (score, rerank and mine-ce read them). ONNX Runtime opens the result before it is moved into place; a failed export leaves nothing.",
      "",
      "Example: negbench export-onnx --model work/ce-scifact --out work/ce-scifact-onnx"
    })
final class ExportOnnxCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "Checkpoint folder: config.json, model.safetensors, tokenizer.json.")
  String model;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "ONNX model folder to write (replaced as a whole).")
  Path out;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    OnnxExport.Exported e = OnnxExport.export(model, out);
    common.info(
        String.format(
            Locale.ROOT,
            "wrote %s: %s, output %s, model.onnx %.1f MB, %.1f s",
            e.dir(),
            e.architecture(),
            e.output(),
            e.bytes() / 1e6,
            (System.nanoTime() - start) / 1e9));
    return 0;
  }
}

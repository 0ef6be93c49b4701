package dev.negbench.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A Hugging Face model folder exported to ONNX: {@code model.onnx} (or {@code onnx/model.onnx}, as
 * optimum and the Hub's sentence-transformers repositories lay it out), {@code tokenizer.json} and
 * {@code config.json}, of which we read {@code vocab_size} and {@code max_position_embeddings}.
 */
public record ModelFolder(
    Path dir, Path model, Path tokenizer, Path config, long vocabSize, int maxPositions) {

  public static ModelFolder open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetFormatException(
          dir,
          0,
          "not a folder; expected a model folder with model.onnx, tokenizer.json and config.json");
    }
    Path model = dir.resolve("model.onnx");
    if (!Files.isRegularFile(model)) {
      model = dir.resolve("onnx").resolve("model.onnx");
    }
    if (!Files.isRegularFile(model)) {
      throw new DatasetFormatException(
          dir.resolve("model.onnx"),
          0,
          "file not found; expected the ONNX model here or in onnx/model.onnx");
    }
    Path tokenizer = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizer)) {
      throw new DatasetFormatException(
          tokenizer, 0, "file not found; expected the model's Hugging Face tokenizer.json");
    }
    Path config = dir.resolve("config.json");
    JsonNode json;
    try {
      json = Json.PLAIN.readTree(config.toFile());
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new DatasetFormatException(
          config, 0, "file not found; expected the model's Hugging Face config.json");
    } catch (IOException e) {
      throw new DatasetFormatException(config, 0, "expected a JSON object: " + e.getMessage(), e);
    }
    JsonNode vocab = json == null ? null : json.get("vocab_size");
    if (vocab == null || !vocab.canConvertToLong()) {
      throw new DatasetFormatException(config, 0, "expected an integer \"vocab_size\"");
    }
    // Without max_position_embeddings we cannot know the limit; the tokenizer's max length rules.
    int maxPositions = json.path("max_position_embeddings").asInt(Integer.MAX_VALUE);
    return new ModelFolder(dir, model, tokenizer, config, vocab.asLong(), maxPositions);
  }
}

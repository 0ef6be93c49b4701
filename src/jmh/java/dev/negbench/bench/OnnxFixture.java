package dev.negbench.bench;

import ai.djl.Device;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.Query;
import dev.negbench.model.BuiltinModels;
import dev.negbench.model.DjlModel;
import dev.negbench.model.OnnxExport;
import dev.negbench.model.Quantization;
import dev.negbench.model.QuantizedModels;
import dev.negbench.model.QueryPassage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Models and texts for the ONNX benchmarks: the tiny test fixtures (by path under the project
 * folder, the forked JVM's working directory) or the built-in all-MiniLM-L6-v2, and seeded samples
 * from the synthetic dataset the BM25 benchmark also uses.
 */
final class OnnxFixture {
  private OnnxFixture() {}

  /** The dataset of {@link Bm25MiningBenchmark}'s smallest grid point, so forks share one copy. */
  static BeirDataset dataset() {
    return SyntheticFixture.dataset(10_000, 1250, 42);
  }

  static Path testFixture(String name) {
    return Path.of(System.getProperty("user.dir"), "src", "test", "resources", "fixtures", name);
  }

  /** "tiny" is a test fixture, "minilm" the built-in model unpacked under target/models. */
  static Path model(String label, String tinyFixture) {
    return switch (label) {
      case "tiny" -> testFixture(tinyFixture);
      case "minilm" -> BuiltinModels.resolve("minilm");
      default -> throw new IllegalArgumentException("model must be tiny or minilm, was " + label);
    };
  }

  /**
   * The folder a kernel runs for {@code quantize}: {@code none}, {@code dir} as it is; {@code
   * int8}, its {@code export-onnx --quantize int8} ({@link QuantizedModels}, cached under {@code
   * $TMPDIR/negbench-jmh}); {@code langchain4j-int8}, langchain4j's published int8 all-MiniLM-L6-v2
   * (the built-in {@code minilm-q-langchain4j}; {@code model=minilm} only), the peer the int8
   * export is measured against.
   */
  static Path quantized(Path dir, String label, String quantize) {
    return switch (quantize) {
      case "none" -> dir;
      case "int8" ->
          QuantizedModels.prepare(
              dir,
              Quantization.INT8,
              Path.of(System.getProperty("java.io.tmpdir"), "negbench-jmh"));
      case "langchain4j-int8" -> {
        if (!label.equals("minilm")) {
          throw new IllegalArgumentException(
              "quantize=langchain4j-int8 is all-MiniLM-L6-v2's; expected model=minilm, was "
                  + label);
        }
        yield BuiltinModels.resolve("minilm-q-langchain4j");
      }
      default ->
          throw new IllegalArgumentException(
              "quantize must be none, int8 or langchain4j-int8, was " + quantize);
    };
  }

  /**
   * ../shared/data/scifact beside the project folder (the real BEIR SciFact), or an error saying
   * where it was looked for.
   */
  static BeirDataset scifact() {
    Path dir =
        Path.of(System.getProperty("user.dir")).resolve("../shared/data/scifact").normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("corpus=scifact needs the BEIR SciFact folder at " + dir);
    }
    return BeirDataset.open(dir);
  }

  /**
   * The model as a trained checkpoint would be evaluated: saved as a Hugging Face checkpoint by DJL
   * ({@code DjlModel.save}, as {@code train} writes one) and exported by {@code OnnxExport}, cached
   * under {@code $TMPDIR/negbench-jmh/export-LABEL}.
   */
  static Path exported(String label, String tinyFixture) {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "negbench-jmh", "export-" + label);
    Path onnx = dir.resolve("onnx");
    if (Files.isRegularFile(onnx.resolve("model.onnx"))) {
      return onnx;
    }
    Path checkpoint = dir.resolve("checkpoint");
    try (DjlModel m = DjlModel.open(model(label, tinyFixture).toString(), Device.cpu())) {
      m.save(checkpoint, 256);
    }
    return OnnxExport.export(checkpoint.toString(), onnx).dir();
  }

  /** Title and text of the first {@code n} documents, in corpus order. */
  static List<String> documents(BeirDataset dataset, int n) {
    List<String> all = new ArrayList<>();
    dataset.forEachDocument(
        d -> {
          if (all.size() < n) {
            all.add(d.contents());
          }
        });
    if (all.size() < n) {
      throw new IllegalStateException(
          "wanted " + n + " documents, " + dataset.dir() + " has " + all.size());
    }
    return all;
  }

  /**
   * {@code n} seeded (query, passage) pairs with a reranking-like length mix: short synthetic
   * queries (a few words); passages 60% a whole document (30-120 pseudo-words), 30% its first half,
   * 10% two documents joined (longer than 512 tokens, so truncation is exercised).
   */
  static List<QueryPassage> pairs(BeirDataset dataset, int n, long seed) {
    List<String> docs = documents(dataset, 2000);
    List<Query> queries = new ArrayList<>(dataset.queries().values());
    SplittableRandom random = new SplittableRandom(seed);
    List<QueryPassage> pairs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String query = queries.get(random.nextInt(queries.size())).text();
      String doc = docs.get(random.nextInt(docs.size()));
      double u = random.nextDouble();
      String passage;
      if (u < 0.6) {
        passage = doc;
      } else if (u < 0.9) {
        String[] words = doc.split(" ");
        passage = String.join(" ", Arrays.copyOf(words, Math.max(1, words.length / 2)));
      } else {
        passage = doc + " " + docs.get(random.nextInt(docs.size()));
      }
      pairs.add(new QueryPassage(query, passage));
    }
    return pairs;
  }

  /**
   * {@code n} seeded pairs whose passages are documents joined to well over 512 tokens, so every
   * pair is truncated to exactly the model's max length: the fixed shapes GPU peer timings use.
   */
  static List<QueryPassage> fullLengthPairs(BeirDataset dataset, int n, long seed) {
    List<String> docs = documents(dataset, 2000);
    List<Query> queries = new ArrayList<>(dataset.queries().values());
    SplittableRandom random = new SplittableRandom(seed);
    List<QueryPassage> pairs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder passage = new StringBuilder();
      while (passage.length() < 6000) { // about 700 pseudo-words, more than 512 tokens
        passage.append(docs.get(random.nextInt(docs.size()))).append(' ');
      }
      pairs.add(
          new QueryPassage(
              queries.get(random.nextInt(queries.size())).text(), passage.toString().strip()));
    }
    return pairs;
  }
}

package dev.negbench.bench;

import dev.negbench.io.Progress;
import dev.negbench.model.Encoders;
import dev.negbench.model.OnnxEncoder;
import dev.negbench.model.Pooling;
import dev.negbench.model.TextEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bi-encoder corpus encoding throughput (documents/s): {@link OnnxEncoder#encode} with
 * normalisation, as {@code EmbeddingCache.encode} calls it for {@code negbench dense-search}, over
 * the first {@value #DOCUMENTS} synthetic documents (30-120 pseudo-words each, title included).
 * {@code model=tiny} is the distilbert-tiny test fixture (overhead only); {@code model=minilm} the
 * built-in all-MiniLM-L6-v2 (the real cost). {@code engine=onnx} is ONNX Runtime ({@link
 * OnnxEncoder}); {@code engine=djl} the same weights on DJL PyTorch ({@code DjlEncoder}: the
 * fixture's safetensors, minilm's weights imported from its ONNX export), float32 on the CPU;
 * {@code engine=export} the same weights saved as a trained checkpoint is and exported by {@code
 * export-onnx} (negbench's own ONNX graph) on ONNX Runtime, which is how the pipeline evaluates
 * trained checkpoints. Report {@code export / djl} and {@code onnx / djl} per model. {@code
 * corpus=scifact} encodes SciFact's first documents (../shared/data/scifact) instead of synthetic
 * ones.
 *
 * <p>{@code quantize=int8} runs the ONNX engines' model as its dynamic int8 export ({@code
 * export-onnx --quantize int8}, as {@code embed --quantize int8} does); {@code
 * quantize=langchain4j-int8} runs langchain4j's published int8 all-MiniLM-L6-v2 instead (the peer,
 * {@code engine=onnx}, {@code model=minilm}). Report {@code quantize=int8 / none} (target 2x) and
 * {@code int8 / langchain4j-int8} (target 1x) at {@code threads=2}.
 */
// Documents per second: the unit corpus-encoding time is planned in.
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// One invocation is 256 forward passes (about a second or more for minilm): few, long iterations.
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
// Fixed heap, pre-touched, so GC sizing does not differ between forks; forks beat run-to-run noise.
// -Xss16m: native code (ONNX Runtime, tokenizers, libtorch) overflowed the 1 MiB default stack of
// JMH's benchmark thread once DJL shared the class path: SIGSEGV (exit 139) without an hs_err file.
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xmx4g", "-Xms4g", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true", "-Xss16m"})
// One encoder session and one document list, only read by the benchmark thread.
@State(Scope.Benchmark)
public class EncodeBenchmark {
  /** Documents encoded per invocation. */
  static final int DOCUMENTS = 256;

  private static final double ATOL = 1e-4;

  /**
   * int8: a document alone and in a batch are quantized with different activation scales (one per
   * batch), and int8 against float moves each unit vector by about 1% (Int8ExportTest); cosine 0.99
   * allows both and fails on a wrong kernel.
   */
  private static final double INT8_MIN_COSINE = 0.99;

  /** tiny: the distilbert-tiny fixture (overhead); minilm: all-MiniLM-L6-v2 (the real cost). */
  @Param({"tiny", "minilm"})
  public String model;

  /**
   * onnx: ONNX Runtime on the model's own export; djl: DJL PyTorch with the same weights; export:
   * ONNX Runtime on export-onnx's graph.
   */
  @Param({"onnx", "djl", "export"})
  public String engine;

  /** synthetic: the BM25 benchmark's synthetic corpus; scifact: the real BEIR SciFact abstracts. */
  @Param({"synthetic"})
  public String corpus;

  /** Tokens per document: dense-search's usual setting for passages. */
  @Param({"256"})
  public int maxLength;

  /** Texts per ONNX Runtime call: dense-search's default. */
  @Param({"64"})
  public int batchSize;

  /**
   * Intra-op threads (ONNX Runtime, PyTorch): 1 by default so results compare across machines' core
   * counts; 2 is dense-search's on this project's VM.
   */
  @Param({"1"})
  public int threads;

  /** none: float32; int8: the int8 export; langchain4j-int8: langchain4j's int8 file. */
  @Param({"none"})
  public String quantize;

  private List<String> documents;
  private TextEncoder encoder;

  @Setup(Level.Trial)
  public void setUp() {
    documents =
        OnnxFixture.documents(
            corpus.equals("scifact") ? OnnxFixture.scifact() : OnnxFixture.dataset(), DOCUMENTS);
    boolean export = engine.equals("export");
    if (!quantize.equals("none") && engine.equals("djl")) {
      throw new IllegalArgumentException("quantize=" + quantize + " runs on ONNX Runtime, not djl");
    }
    Path floatFolder =
        export
            ? OnnxFixture.exported(model, "distilbert-tiny")
            : OnnxFixture.model(model, "distilbert-tiny");
    Encoders.Engine use = export ? Encoders.Engine.ONNX : Encoders.Engine.parse(engine);
    encoder =
        Encoders.open(
            OnnxFixture.quantized(floatFolder, model, quantize).toString(),
            maxLength,
            batchSize,
            threads,
            use,
            "cpu",
            Pooling.MEAN);
    checkAnswers(encode());
    if (!quantize.equals("none")) {
      try (TextEncoder reference =
          Encoders.open(
              floatFolder.toString(), maxLength, batchSize, threads, use, "cpu", Pooling.MEAN)) {
        checkAgainstFloat(reference);
      }
    }
  }

  /** A quantized encoder's embeddings point where the float model's do (cosine 0.99). */
  private void checkAgainstFloat(TextEncoder reference) {
    List<String> some = List.of(documents.get(0), documents.get(DOCUMENTS / 2));
    float[][] q = encoder.encode(some, true, Progress.NONE);
    float[][] f = reference.encode(some, true, Progress.NONE);
    for (int i = 0; i < some.size(); i++) {
      double cos = cosine(q[i], f[i]);
      if (!(cos >= INT8_MIN_COSINE)) {
        throw new IllegalStateException(
            "EncodeBenchmark: wrong answer: quantize=" + quantize + " vs float cosine " + cos);
      }
    }
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int d = 0; d < a.length; d++) {
      dot += (double) a[d] * b[d];
    }
    return dot; // both unit vectors
  }

  /**
   * Every embedding is unit-norm, and the shortest, a middle and the longest document encoded alone
   * (no padding) agree with their rows of the batched run (padded among the others).
   */
  private void checkAnswers(float[][] batched) {
    if (batched.length != DOCUMENTS) {
      throw new IllegalStateException(
          "EncodeBenchmark: wrong answer: "
              + batched.length
              + " embeddings for "
              + DOCUMENTS
              + " documents");
    }
    for (int i = 0; i < batched.length; i++) {
      double sum = 0;
      for (float x : batched[i]) {
        sum += (double) x * x;
      }
      if (!(Math.abs(Math.sqrt(sum) - 1) <= ATOL)) {
        throw new IllegalStateException(
            "EncodeBenchmark: wrong answer: embedding " + i + " has norm " + Math.sqrt(sum));
      }
    }
    List<Integer> byLength = new ArrayList<>();
    for (int i = 0; i < DOCUMENTS; i++) {
      byLength.add(i);
    }
    byLength.sort(Comparator.comparingInt(i -> documents.get(i).length()));
    for (int i :
        List.of(byLength.get(0), byLength.get(DOCUMENTS / 2), byLength.get(DOCUMENTS - 1))) {
      float[] alone = encoder.encode(List.of(documents.get(i)), true, Progress.NONE)[0];
      if (!quantize.equals("none")) {
        double cos = cosine(alone, batched[i]);
        if (!(cos >= INT8_MIN_COSINE)) {
          throw new IllegalStateException(
              "EncodeBenchmark: wrong answer: document " + i + " alone and batched, cosine " + cos);
        }
        continue;
      }
      for (int d = 0; d < alone.length; d++) {
        if (!(Math.abs(alone[d] - batched[i][d]) <= ATOL)) {
          throw new IllegalStateException(
              "EncodeBenchmark: wrong answer: document "
                  + i
                  + " alone and in a batch differ at dim "
                  + d
                  + ": "
                  + alone[d]
                  + " vs "
                  + batched[i][d]);
        }
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    encoder.close();
  }

  @Benchmark
  @OperationsPerInvocation(DOCUMENTS)
  public float[][] encode() {
    return encoder.encode(documents, true, Progress.NONE);
  }
}

package dev.negbench.bench;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.model.CrossEncoder;
import dev.negbench.model.Encoding;
import dev.negbench.model.MeanPooling;
import dev.negbench.model.OnnxEncoder;
import dev.negbench.model.OnnxModel;
import dev.negbench.model.PaddedBatch;
import dev.negbench.model.QueryPassage;
import dev.negbench.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Cross-encoder scoring throughput (pairs/s, tokenization included) for the same {@value #PAIRS}
 * seeded (query, passage) pairs two ways: {@code bucketed} is what {@code negbench score} and
 * {@code mine-ce} do ({@link CrossEncoder#score}: {@code Batches} sorts by length and pads each
 * batch to its own longest pair); {@code naivePadding} is the baseline, the pairs in input order
 * with every batch padded to the longest pair of the whole set. Report {@code bucketed /
 * naivePadding}.
 *
 * <p>{@code model=tiny} is the bert-tiny cross-encoder test fixture (2 layers, 128 hidden): it
 * measures the Java and ONNX Runtime overhead, not transformer cost. {@code model=minilm} is the
 * built-in all-MiniLM-L6-v2, which has exactly the encoder shape of
 * cross-encoder/ms-marco-MiniLM-L6-v2, the usual reranker (BERT, 6 layers, 384 hidden, 12 heads,
 * 1536 intermediate, 512 positions): its cost is the real cost. Its ONNX graph is a bi-encoder with
 * no logits output, so {@link CrossEncoder#open} rejects it; for minilm both methods run the
 * encoder forward pass on the concatenated pair text {@code query [SEP] passage} (same tokens as
 * the pair; type ids all 0, which costs the same), {@code bucketed} through {@link
 * OnnxEncoder#encode} (the same {@code Batches} path plus mean pooling, about 1/1000 of the forward
 * pass) and {@code naivePadding} through {@link OnnxModel#run} with the same pooling. The
 * classification head the real cross-encoder adds (384x1 dense) is negligible.
 *
 * <p>Hardware efficiency: each method counts the FLOP of the padded batches it runs ({@link
 * TransformerFlops}) in the secondary metric {@code flop} (FLOP/s), and {@code gemmPeak} runs one
 * ONNX Runtime MatMul of the model's feed-forward shape for the same batch ([batch x length tokens,
 * hidden] x [hidden, intermediate], tokens capped at 8192) on the same device and thread count
 * ({@link GemmPeak}): the machine's GEMM peak for this runtime, measured in the same run. {@code
 * JmhSummary} prints achieved GFLOP/s beside it. {@code lengths=full} makes every pair fill {@code
 * maxLength} (the fixed shapes of GPU peer timings, e.g. batch 256 at 256 and 512 tokens in
 * shared/reference/README.md); {@code mix} is a reranking-like mix of lengths. {@code device=cuda}
 * runs on ONNX Runtime's CUDA provider (the {@code cuda} Maven profile).
 *
 * <p>{@code quantize=int8} scores with the model's dynamic int8 export ({@code export-onnx
 * --quantize int8}, as {@code score --quantize int8} does); report {@code quantize=int8 / none}
 * (target 2x at minilm, 256 tokens, batch 64, 2 threads). {@code gemmPeak} stays the float GEMM.
 */
// Pairs per second: the unit rerank and mining budgets are planned in.
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// One invocation is 256 forward passes (up to seconds for minilm at 512): few, long iterations.
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
// Fixed heap, pre-touched, so GC sizing does not differ between forks; forks beat run-to-run noise.
// -Xss16m: native code (ONNX Runtime, tokenizers, libtorch) overflowed the 1 MiB default stack of
// JMH's benchmark thread once DJL shared the class path: SIGSEGV (exit 139) without an hs_err file.
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xmx4g", "-Xms4g", "-XX:+AlwaysPreTouch", "-Xss16m"})
// One model session and one pair set, only read by the benchmark thread.
@State(Scope.Benchmark)
public class CrossEncoderBenchmark {
  /** Pairs scored per invocation: a typical rerank depth for a few queries. */
  static final int PAIRS = 256;

  private static final long SEED = 42;

  private static final double ATOL = 1e-4;

  /**
   * int8: each batch is quantized with its own activation scale, so the same pair in another batch
   * (bucketed against naive padding) scores differently, by about 1% of a pooled value (whose
   * entries are below 1); 0.05 allows that and fails on a wrong kernel.
   */
  private static final double INT8_ATOL = 0.05;

  /** tiny: the bert-tiny fixture (overhead); minilm: MiniLM-L6 shape (the real cost). */
  @Param({"tiny", "minilm"})
  public String model;

  /** Tokens per pair, longer pairs truncated longest-first. */
  @Param({"128", "256", "512"})
  public int maxLength;

  /** Pairs per ONNX Runtime call (256 for the GPU reference shapes; at most {@value #PAIRS}). */
  @Param({"16", "64"})
  public int batchSize;

  /** mix: reranking-like lengths (OnnxFixture.pairs); full: every pair at maxLength. */
  @Param({"mix"})
  public String lengths;

  /** cpu, or cuda[:N] with the onnxruntime_gpu build. */
  @Param({"cpu"})
  public String device;

  /**
   * ONNX Runtime intra-op threads: 1 by default, as {@code mine-ce} runs each worker (CPUs used
   * once, not threads^2), and so that padding waste is not hidden behind idle cores; 2 is {@code
   * score} and {@code rerank} on this project's VM.
   */
  @Param({"1"})
  public int threads;

  /** none: float32; int8: the model's dynamic int8 export. */
  @Param({"none"})
  public String quantize;

  private List<QueryPassage> pairs;

  /** model=tiny: the cross-encoder, whose {@link CrossEncoder#model()} the baseline runs. */
  private CrossEncoder crossEncoder;

  private String logits;
  private int labels;

  /** model=minilm: the pair texts joined, the encoder, and a second session for the baseline. */
  private List<String> joined;

  private OnnxEncoder encoder;
  private OnnxModel encoderModel;

  /** FLOP per invocation of each method, and the GEMM reference. */
  private long bucketedFlop;

  private long naiveFlop;
  private GemmPeak gemm;

  @Setup(Level.Trial)
  public void setUp() throws IOException, OrtException {
    if (batchSize > PAIRS) {
      throw new IllegalArgumentException(
          "batchSize " + batchSize + " is above the " + PAIRS + " pairs of one invocation");
    }
    pairs =
        switch (lengths) {
          case "mix" -> OnnxFixture.pairs(OnnxFixture.dataset(), PAIRS, SEED);
          case "full" -> OnnxFixture.fullLengthPairs(OnnxFixture.dataset(), PAIRS, SEED);
          default ->
              throw new IllegalArgumentException("lengths must be mix or full, was " + lengths);
        };
    List<Encoding> encodings = new ArrayList<>(PAIRS);
    TransformerFlops flops;
    if (model.equals("tiny")) {
      Path dir = OnnxFixture.model(model, "bert-tiny-cross-encoder");
      crossEncoder =
          CrossEncoder.open(
              OnnxFixture.quantized(dir, model, quantize), maxLength, batchSize, threads, device);
      flops = TransformerFlops.of(dir.resolve("config.json"));
      for (QueryPassage p : pairs) {
        encodings.add(crossEncoder.model().tokenizer().encode(p.query(), p.passage()));
      }
      // The output CrossEncoder reads ("logits"), and its label count, from the public outputs.
      logits =
          crossEncoder.model().outputs().containsKey("logits")
              ? "logits"
              : crossEncoder.model().outputs().keySet().iterator().next();
      labels = (int) crossEncoder.model().outputs().get(logits)[1];
      checkGolden();
      checkAgree(bucketed(), naivePadding());
    } else {
      Path dir = OnnxFixture.quantized(OnnxFixture.model(model, null), model, quantize);
      try {
        CrossEncoder.open(dir, maxLength, batchSize, threads).close();
        throw new IllegalStateException(
            dir + " opened as a cross-encoder: the minilm branch expects a bi-encoder");
      } catch (DatasetFormatException expected) {
        // no logits output: measure the encoder forward pass on joined pairs (class comment)
      }
      joined = new ArrayList<>(PAIRS);
      for (QueryPassage p : pairs) {
        joined.add(p.query() + " [SEP] " + p.passage());
      }
      encoder = OnnxEncoder.open(dir, maxLength, batchSize, threads, device);
      encoderModel = OnnxModel.open(dir, maxLength, threads, device);
      flops = TransformerFlops.of(dir.resolve("config.json"));
      for (String text : joined) {
        encodings.add(encoderModel.tokenizer().encode(text));
      }
      checkAgree(bucketedEncoder(), naiveEncoder());
    }
    bucketedFlop = flops.bucketed(encodings, batchSize);
    naiveFlop = flops.of(paddedToLongest(encodings, batchSize));
    int longest = encodings.stream().mapToInt(Encoding::length).max().orElseThrow();
    int[] shape = flops.feedForwardShape(Math.min(batchSize * longest, 8192));
    gemm = new GemmPeak(shape[0], shape[1], shape[2], threads, device);
  }

  /** The tiny model's logits for golden.json's pairs equal those transformers computed. */
  private void checkGolden() throws IOException {
    Path golden = OnnxFixture.testFixture("bert-tiny-cross-encoder").resolve("golden.json");
    JsonNode root = Json.PLAIN.readTree(golden.toFile());
    List<QueryPassage> goldenPairs = new ArrayList<>();
    for (JsonNode p : root.get("pairs")) {
      goldenPairs.add(new QueryPassage(p.get(0).asText(), p.get(1).asText()));
    }
    float[] scores = crossEncoder.score(goldenPairs);
    for (int i = 0; i < scores.length; i++) {
      double expected = root.get("logits").get(i).get(labels - 1).asDouble();
      if (Math.abs(scores[i] - expected) > ATOL) {
        throw new IllegalStateException(
            "CrossEncoderBenchmark: wrong answer: golden pair "
                + i
                + " of "
                + golden
                + " scored "
                + scores[i]
                + ", expected "
                + expected);
      }
    }
  }

  /** Both methods give the same score (or pooled vector) for every pair, in input order. */
  private void checkAgree(Object bucketed, Object naive) {
    double atol = quantize.equals("none") ? ATOL : INT8_ATOL;
    float[][] a = bucketed instanceof float[] s ? new float[][] {s} : (float[][]) bucketed;
    float[][] b = naive instanceof float[] s ? new float[][] {s} : (float[][]) naive;
    if (a.length != b.length) {
      throw new IllegalStateException(
          "CrossEncoderBenchmark: wrong answer: " + a.length + " vs " + b.length + " results");
    }
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        if (!(Math.abs(a[i][j] - b[i][j]) <= atol)) {
          throw new IllegalStateException(
              "CrossEncoderBenchmark: wrong answer: bucketed and naivePadding disagree at ["
                  + i
                  + "]["
                  + j
                  + "]: "
                  + a[i][j]
                  + " vs "
                  + b[i][j]);
        }
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws OrtException {
    if (gemm != null) {
      gemm.close();
    }
    if (crossEncoder != null) {
      crossEncoder.close();
    }
    if (encoder != null) {
      encoder.close();
    }
    if (encoderModel != null) {
      encoderModel.close();
    }
  }

  /** The project's path: length-sorted batches, each padded to its own longest pair. */
  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public Object bucketed(Flops counter) {
    counter.flop += bucketedFlop;
    return bucketed();
  }

  Object bucketed() {
    return crossEncoder != null ? crossEncoder.score(pairs, Progress.NONE) : bucketedEncoder();
  }

  /** The baseline: input order, every batch padded to the longest pair of the whole set. */
  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public Object naivePadding(Flops counter) {
    counter.flop += naiveFlop;
    return naivePadding();
  }

  /**
   * The reference: one GEMM of this grid point's feed-forward shape; its {@code flop} rate is the
   * peak the two methods above are compared with (primary score: GEMMs/s, not pairs/s).
   */
  @Benchmark
  public float gemmPeak(Flops counter) {
    counter.flop += gemm.flop();
    return gemm.run();
  }

  Object naivePadding() {
    if (crossEncoder == null) {
      return naiveEncoder();
    }
    TextTokenizer tokenizer = crossEncoder.model().tokenizer();
    List<Encoding> encodings = new ArrayList<>(PAIRS);
    for (QueryPassage p : pairs) {
      encodings.add(tokenizer.encode(p.query(), p.passage()));
    }
    float[] scores = new float[PAIRS];
    int row = 0;
    for (PaddedBatch batch : paddedToLongest(encodings, batchSize)) {
      float[] out = crossEncoder.model().run(batch, logits).data();
      for (int r = 0; r < batch.rows(); r++) {
        scores[row++] = out[r * labels + labels - 1];
      }
    }
    return scores;
  }

  private float[][] bucketedEncoder() {
    return encoder.encode(joined);
  }

  private float[][] naiveEncoder() {
    List<Encoding> encodings = new ArrayList<>(PAIRS);
    for (String text : joined) {
      encodings.add(encoderModel.tokenizer().encode(text));
    }
    float[][] pooled = new float[PAIRS][];
    int row = 0;
    for (PaddedBatch batch : paddedToLongest(encodings, batchSize)) {
      OnnxModel.Tensor hidden = encoderModel.run(batch, "last_hidden_state");
      int dim = (int) hidden.shape()[2];
      for (int r = 0; r < batch.rows(); r++) {
        pooled[row++] = MeanPooling.pool(hidden.data(), batch.mask(), r, batch.length(), dim);
      }
    }
    return pooled;
  }

  /**
   * Consecutive batches in input order, each padded to the longest encoding of the whole list
   * (PaddedBatch.of pads to the longest of its own rows, so the baseline builds them itself).
   */
  static List<PaddedBatch> paddedToLongest(List<Encoding> encodings, int batchSize) {
    int length = 0;
    for (Encoding e : encodings) {
      length = Math.max(length, e.length());
    }
    List<PaddedBatch> batches = new ArrayList<>();
    for (int start = 0; start < encodings.size(); start += batchSize) {
      int rows = Math.min(batchSize, encodings.size() - start);
      long[] ids = new long[rows * length];
      long[] typeIds = new long[rows * length];
      long[] mask = new long[rows * length];
      for (int r = 0; r < rows; r++) {
        Encoding e = encodings.get(start + r);
        System.arraycopy(e.ids(), 0, ids, r * length, e.length());
        System.arraycopy(e.typeIds(), 0, typeIds, r * length, e.length());
        System.arraycopy(e.mask(), 0, mask, r * length, e.length());
      }
      batches.add(new PaddedBatch(rows, length, ids, typeIds, mask));
    }
    return batches;
  }
}

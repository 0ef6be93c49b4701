package dev.negbench.bench;

import ai.djl.Device;
import dev.negbench.model.Djl;
import dev.negbench.model.DjlModel;
import dev.negbench.train.MnrlStep;
import dev.negbench.train.TrainingExample;
import dev.negbench.train.TrainingSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One MNRL training step ({@link MnrlStep#step}: tokenize, forward, loss, backward, clip, AdamW) on
 * DJL PyTorch, in steps/s, with triples/s beside it (the {@code triples} counter): {@value #BATCH}
 * queries of {@value #QUERY_TOKENS} tokens, {@value #BATCH} positives and {@value #BATCH} hard
 * negatives of {@value #DOC_TOKENS} tokens, every text filling its max length. This is the shape of
 * the PyTorch peer timing in {@code ../shared/reference/README.md} (8.75 steps/s fp32 on an H200).
 * {@code model=distilbert-base}: DistilBERT-base's shape with random weights (as the peer timing;
 * no download); {@code model=tiny}: the distilbert-tiny fixture (the Java and JNI overhead). {@code
 * -p device=cuda} on a GPU machine.
 */
// Steps per second, the unit of the peer timing.
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// A DistilBERT-base step is seconds to a minute on a laptop CPU: one long warmup, few long
// iterations.
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
// Fixed heap (the tensors live off-heap in libtorch); DJL offline, libtorch from the jar.
// -Xss16m: native code (ONNX Runtime, tokenizers, libtorch) overflowed the 1 MiB default stack of
// JMH's benchmark thread once DJL shared the class path: SIGSEGV (exit 139) without an hs_err file.
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g", "-Xms4g", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true", "-Xss16m"})
// One model and one batch, used by the benchmark thread only.
@State(Scope.Benchmark)
public class TrainingStepBenchmark {
  static final int BATCH = 32;
  static final int QUERY_TOKENS = 32;
  static final int DOC_TOKENS = 256;

  /** distilbert-base: the peer timing's shape, random weights; tiny: the test fixture. */
  @Param({"tiny", "distilbert-base"})
  public String model;

  /** cpu, or cuda on a GPU machine (needs a CUDA libtorch, docs/paper-on-gpus.md). */
  @Param({"cpu"})
  public String device;

  private DjlModel djl;
  private MnrlStep step;
  private List<TrainingExample> batch;

  /** Triples trained per second, beside the primary steps/s. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long triples;
  }

  @Setup(Level.Trial)
  public void setUp() {
    Device d = Djl.device(device);
    Path tiny = OnnxFixture.testFixture("distilbert-tiny");
    djl =
        switch (model) {
          case "tiny" -> DjlModel.open(tiny.toString(), d);
          case "distilbert-base" ->
              DjlModel.random(DjlModel.distilbertBase(), d, tiny.resolve("tokenizer.json"), 42);
          default ->
              throw new IllegalArgumentException(
                  "model must be tiny or distilbert-base, was " + model);
        };
    TrainingSettings s = TrainingSettings.defaults();
    TrainingSettings settings =
        new TrainingSettings(
            1,
            BATCH,
            s.learningRate(),
            s.weightDecay(),
            0,
            s.maxGradNorm(),
            QUERY_TOKENS,
            DOC_TOKENS,
            1,
            s.scale(),
            42,
            device);
    step = new MnrlStep(djl, settings);
    // Three synthetic documents joined are longer than 256 tokens; one is longer than 32.
    List<String> docs = OnnxFixture.documents(OnnxFixture.dataset(), 7 * BATCH);
    batch = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      int b = 7 * i;
      batch.add(
          new TrainingExample(
              docs.get(b),
              String.join(" ", docs.subList(b + 1, b + 4)),
              List.of(String.join(" ", docs.subList(b + 4, b + 7)))));
    }
    checkAnswer();
  }

  /**
   * Every text fills its max length (the shape is the one measured); the loss is finite and a
   * second step on the same batch has a lower loss (the update went the right way).
   */
  private void checkAnswer() {
    for (TrainingExample e : batch) {
      int q = step.queryTokenizer().encode(e.query()).length();
      int p = step.documentTokenizer().encode(e.positive()).length();
      int n = step.documentTokenizer().encode(e.negatives().get(0)).length();
      if (q != QUERY_TOKENS || p != DOC_TOKENS || n != DOC_TOKENS) {
        throw new IllegalStateException(
            "TrainingStepBenchmark: wrong shape: " + q + "/" + p + "/" + n + " tokens");
      }
    }
    double first = step.step(batch, 1e-4);
    double second = step.step(batch, 1e-4);
    if (!Double.isFinite(first) || !(second < first)) {
      throw new IllegalStateException(
          "TrainingStepBenchmark: wrong answer: losses " + first + " then " + second);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    step.close();
    djl.close();
  }

  @Benchmark
  public double trainingStep(Counters counters) {
    // A small rate: hundreds of steps on one batch must not drive the loss to NaN.
    double loss = step.step(batch, 1e-6);
    counters.triples += BATCH;
    return loss;
  }
}

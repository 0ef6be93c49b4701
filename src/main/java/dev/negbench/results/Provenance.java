package dev.negbench.results;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.cfg.PackageVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.Version;

/**
 * {@code provenance.json}: what made a result. No clock time, so a rerun that reuses every stage
 * writes the same file except the wall time.
 *
 * @param gitCommit HEAD of the checkout the command ran in, or "unknown"; "+dirty" when it had
 *     changes
 * @param configSha256 the experiment config file's SHA-256
 * @param stages cache hash of each stage that made this result, by stage name
 * @param versions negbench, Lucene, ONNX Runtime, Jackson
 * @param device where training ran ("cpu", "cuda:0", ...), "none" for the zero-shot row
 * @param wallSeconds wall time of the stages run for this result in this invocation (0 when all
 *     were reused)
 * @param trainedOn the collection the retriever was trained on when it is not the evaluated dataset
 *     (the BEIR protocol's {@code train_on}); absent in-domain
 * @param evaluationEngine what encoded the evaluation ({@code onnxruntime}, {@code djl}, {@code
 *     onnxruntime (export-onnx)} for a trained checkpoint exported first, or {@code onnxruntime
 *     (export-onnx --quantize int8)} with {@code evaluation: {quantize: int8}}); absent in results
 *     made before it was recorded
 * @param fixtureModels models of this result that are test fixtures (tiny random-weight models with
 *     golden outputs, not trained retrievers or rerankers), each as "role: model"; absent when none
 */
public record Provenance(
    String gitCommit,
    String configSha256,
    String config,
    Map<String, String> stages,
    Map<String, String> versions,
    String jvm,
    String os,
    String hardware,
    String device,
    double wallSeconds,
    @JsonInclude(JsonInclude.Include.NON_NULL) String trainedOn,
    @JsonInclude(JsonInclude.Include.NON_NULL) String evaluationEngine,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> fixtureModels) {

  /**
   * Without the evaluation engine and fixture models (results written before they were recorded).
   */
  public Provenance(
      String gitCommit,
      String configSha256,
      String config,
      Map<String, String> stages,
      Map<String, String> versions,
      String jvm,
      String os,
      String hardware,
      String device,
      double wallSeconds,
      String trainedOn) {
    this(
        gitCommit,
        configSha256,
        config,
        stages,
        versions,
        jvm,
        os,
        hardware,
        device,
        wallSeconds,
        trainedOn,
        null,
        List.of());
  }

  /** This provenance with the evaluation's engine and the test-fixture models named. */
  public Provenance withEvaluation(String engine, List<String> fixtures) {
    return new Provenance(
        gitCommit,
        configSha256,
        config,
        stages,
        versions,
        jvm,
        os,
        hardware,
        device,
        wallSeconds,
        trainedOn,
        engine,
        List.copyOf(fixtures));
  }

  /** The machine and software this JVM runs on. */
  public static Provenance of(
      String gitCommit,
      Path config,
      String configSha256,
      Map<String, String> stages,
      String device,
      double wallSeconds,
      String trainedOn) {
    Map<String, String> versions = new TreeMap<>();
    versions.put("negbench", versionOf(Provenance.class));
    versions.put("lucene", Version.LATEST.toString());
    versions.put("onnxruntime", versionOf(OrtEnvironment.class));
    versions.put("jackson", PackageVersion.VERSION.toString());
    String jvm =
        System.getProperty("java.vm.vendor")
            + " "
            + System.getProperty("java.vm.name")
            + " "
            + Runtime.version();
    String os =
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch");
    String hardware =
        String.format(
            Locale.ROOT,
            "%s, %d CPUs, %d MiB max heap",
            cpuModel(),
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory() >> 20);
    return new Provenance(
        gitCommit,
        configSha256,
        config.toString(),
        new TreeMap<>(stages),
        versions,
        jvm,
        os,
        hardware,
        device,
        Math.round(wallSeconds * 10) / 10.0,
        trainedOn,
        null,
        List.of());
  }

  private static String versionOf(Class<?> c) {
    String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the architecture says enough
    }
    return System.getProperty("os.arch");
  }

  /** {@code git rev-parse HEAD} of the working folder, with "+dirty" for uncommitted changes. */
  public static String currentGitCommit() {
    String head = git("rev-parse", "HEAD");
    if (head == null) {
      return "unknown";
    }
    String status = git("status", "--porcelain", "--untracked-files=no");
    return status == null || status.isEmpty() ? head : head + "+dirty";
  }

  private static String git(String... args) {
    try {
      String[] cmd = new String[args.length + 1];
      cmd[0] = "git";
      System.arraycopy(args, 0, cmd, 1, args.length);
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(false)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}

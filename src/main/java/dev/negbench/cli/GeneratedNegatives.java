package dev.negbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.data.BeirDataset;
import dev.negbench.io.JsonLines;
import dev.negbench.io.Progress;
import dev.negbench.generate.ComparisonRow;
import dev.negbench.generate.Generation;
import dev.negbench.generate.GenerationSettings;
import dev.negbench.generate.GeneratorProfile;
import dev.negbench.generate.SimProfile;
import dev.negbench.generate.Simulator;
import dev.negbench.experiment.ExperimentConfig;
import dev.negbench.results.GenerationSummary;
import dev.negbench.experiment.NegativeStage;
import dev.negbench.experiment.SourceSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code llm} source of {@code reproduce}: dev.negbench.generate against the source's endpoint,
 * or against an in-process simulator started for the stage from the source's simulator profile.
 *
 * <p>The generation cache lives outside the stage's temporary folder, under {@code
 * WORK/generation/}, keyed by dataset, split, source and seed: a killed run resumes from the
 * requests already answered instead of asking the LLM again (the stage cache deletes a crashed
 * stage's folder).
 */
final class GeneratedNegatives implements NegativeStage {
  private final Path work;

  GeneratedNegatives(Path work) {
    this.work = work;
  }

  /** Loads every llm source's generator and simulator profile, so a bad one fails before any work. */
  static void check(ExperimentConfig.Loaded config) {
    for (SourceSpec s : config.config().sources()) {
      if ("llm".equals(s.type())) {
        // Paths are relative to the config file; a bare model name is a profile of defaults.
        Path generator = config.resolve(s.generator());
        GeneratorProfile.resolve(Files.exists(generator) || s.generator().endsWith(".json") ? generator.toString() : s.generator());
        if (s.simulator() != null) {
          SimProfile.load(config.resolve(s.simulator()));
        }
      }
    }
  }

  @Override
  public void make(BeirDataset dataset, String split, SourceSpec source, long seed, Path out, Progress.Factory progress) throws IOException {
    GeneratorProfile profile = GeneratorProfile.resolve(source.generator());
    String key = AtomicFiles.sha256(String.join("\n", dataset.dir().toAbsolutePath().toString(), split, source.toString(), Long.toString(seed)))
        .substring(0, 16);
    Path cache = work.resolve("generation").resolve(source.name() + "-" + key + ".cache.jsonl");
    Files.createDirectories(cache.getParent());
    GenerationSettings settings =
        GenerationSettings.defaults().withNumNegatives(source.negativesPerQuery()).withSeed(seed).withCacheFile(cache);
    Path negatives = out.resolve(NEGATIVES);
    dev.negbench.generate.GenerationRun run;
    if (source.simulator() != null) {
      try (Simulator sim = Simulator.start(Path.of(source.simulator()))) {
        run = Generation.run(dataset, split, profile, List.of(sim.baseUrl()), settings, negatives, progress);
      }
    } else {
      run = Generation.run(dataset, split, profile, List.of(URI.create(source.endpoint())), settings, negatives, progress);
    }
    summary(run, negatives, source, profile).write(out.resolve(GENERATION));
  }

  /** The report's generation.json from the run's comparison row and the tokens its requests used. */
  private static GenerationSummary summary(
      dev.negbench.generate.GenerationRun run, Path negatives, SourceSpec source, GeneratorProfile profile) {
    ComparisonRow row = run.row();
    long[] tokens = new long[2];
    JsonLines.forEachObject(negatives, (lines, node) -> {
      for (JsonNode attempt : node.path("attempts")) {
        tokens[0] += Math.max(0, attempt.path("prompt_tokens").asLong(0));
        tokens[1] += Math.max(0, attempt.path("completion_tokens").asLong(0));
      }
    });
    // A GPU named in the config is priced from its gpu_prices; otherwise the profile's own price.
    boolean configGpu = source.gpu() != null;
    String device = row.simulated()
        ? "simulator"
        : String.format(Locale.ROOT, "%dx %s", row.gpuCount(), row.gpuType());
    return new GenerationSummary(
        row.generator(), row.model(), row.paramsBillions(), device,
        configGpu ? source.gpu() : row.gpuType(),
        configGpu ? null : (row.usdPerGpuHour() > 0 ? row.usdPerGpuHour() : null),
        row.simulated(), row.queries(), row.acceptedNegatives(), row.requests(), tokens[0], tokens[1], row.durationS(),
        run.e2eMs().median(), run.e2eMs().p90(), run.e2eMs().p99(), Math.max(1, profile.cost().gpuCount()));
  }
}

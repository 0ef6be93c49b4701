package dev.negbench.cli;

import dev.negbench.io.AtomicFiles;
import dev.negbench.model.Encoders;
import dev.negbench.model.TextEncoder;
import dev.negbench.experiment.ExperimentConfig;
import dev.negbench.experiment.Pipeline;
import dev.negbench.results.ResultsStore;
import dev.negbench.experiment.RetrievalEncoder;
import dev.negbench.experiment.TrainStage;
import dev.negbench.train.Trainer;
import dev.negbench.train.TrainingReport;
import dev.negbench.train.TrainingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "reproduce",
    mixinStandardHelpOptions = true,
    description = {
      "Run an experiment config: negatives, training, dense retrieval and evaluation for every dataset, source and seed.",
      "",
      "The config (YAML or JSON, see configs/*.yaml) names datasets (BEIR folders or synthetic:DOCS), negative sources (bm25, ce, dense, llm, file, mix), seeds, training and evaluation settings, and GPU prices. It is validated completely before any work: an unknown field, source type or dataset folder fails with exit 2, naming the file, line and field.",
      "",
      "Each result goes to RESULTS/EXPERIMENT/DATASET/SOURCE/seed-N/ (metrics.json, per-query.csv, provenance.json, hardness.json, generation.json for LLM sources); the untrained base model is the 'zero-shot' source. Every stage is cached under WORK/stages by a hash of its inputs and settings: a rerun does only what changed, and a killed run resumes where it stopped.",
      "",
      "Example: negbench reproduce --config configs/demo.yaml"
    })
final class ReproduceCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Experiment config, YAML (.yaml, .yml) or JSON (.json).")
  Path config;

  @Option(names = "--work", paramLabel = "DIR", description = "Stage cache and large artifacts (default: --work-dir, i.e. $NEGBENCH_WORK or ./work).")
  Path work;

  @Option(names = "--results", paramLabel = "DIR", description = "Results store (default ${DEFAULT-VALUE}).")
  Path results = Path.of("results");

  @Option(
      names = "--skip-training",
      description = "Make negatives, hardness and the zero-shot row only; no training or trained evaluation.")
  boolean skipTraining;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "SOURCE",
      description = "Run only these sources (comma-separated names; a mix brings its parts). Default: all.")
  java.util.List<String> only;

  @Option(names = "--check", description = "Validate the config and exit.")
  boolean check;

  @Override
  public Integer call() throws java.io.IOException {
    ExperimentConfig.Loaded loaded = ExperimentConfig.load(config);
    if (only != null && !only.isEmpty()) {
      loaded = loaded.only(only);
    }
    Path workDir = work != null ? work : common.workDir;
    Pipeline pipeline =
        new Pipeline(
            loaded,
            workDir,
            new ResultsStore(results),
            new Pipeline.Wiring(new GeneratedNegatives(workDir), trainer(workDir), ReproduceCommand::encoder),
            skipTraining,
            common.threads,
            common.progress(),
            common::info);
    pipeline.preflight();
    GeneratedNegatives.check(loaded);
    if (check) {
      common.info(
          String.format(
              Locale.ROOT,
              "%s: ok (%d datasets x %d sources x %d seeds)",
              config,
              loaded.datasets().size(),
              loaded.config().sources().size(),
              loaded.config().seeds().size()));
      return 0;
    }
    long start = System.nanoTime();
    Pipeline.Summary s = pipeline.run();
    common.info(
        String.format(
            Locale.ROOT,
            "reproduce %s: %d results under %s; %d stages run, %d reused; %.1f s",
            loaded.config().name(),
            s.results().size(),
            results,
            s.stagesRun(),
            s.stagesReused(),
            (System.nanoTime() - start) / 1e9));
    return 0;
  }

  /**
   * Bi-encoders by name or folder ({@link Encoders}): the built-in minilm and ONNX folders on ONNX
   * Runtime, trained checkpoints (model.safetensors) on DJL.
   */
  static RetrievalEncoder encoder(String model, int maxLength, int batchSize, int threads) {
    TextEncoder e = Encoders.open(model, maxLength, batchSize, threads);
    return RetrievalEncoder.of(e::encode, e.maxLength(), e.checksum(), e::close);
  }

  /**
   * The train stage: {@link Trainer} with the plan's settings (weight decay, clipping and the MNRL
   * scale at {@link TrainingSettings#defaults()}). It trains in WORK/training/HASH, outside the
   * stage's temporary folder, so a killed run resumes from its last checkpoint instead of starting
   * over, and the finished model folder then moves into the stage.
   */
  static TrainStage trainer(Path work) {
    return (dataset, negatives, plan, seed, out, progress) -> {
      TrainingSettings d = TrainingSettings.defaults();
      TrainingSettings settings =
          new TrainingSettings(
                  plan.epochs(), plan.batchSize(), plan.learningRate(), d.weightDecay(), plan.warmupRatio(), d.maxGradNorm(),
                  plan.maxQueryLength(), plan.maxPassageLength(), plan.negativesPerQuery(), d.scale(), seed, plan.device())
              .validate();
      String key = AtomicFiles.sha256(String.join("\n", AtomicFiles.sha256(negatives), plan.toString(), Long.toString(seed), dataset.dir().toAbsolutePath().toString()));
      Path scratch = work.resolve("training").resolve(key.substring(0, 20));
      Files.createDirectories(scratch.getParent());
      TrainingReport r = Trainer.train(dataset, plan.split(), negatives, plan.model(), settings, scratch, progress);
      Path checkpoint = out.resolve("model");
      Files.move(r.checkpoint(), checkpoint, StandardCopyOption.ATOMIC_MOVE);
      return new TrainStage.Trained(r.steps(), r.triples(), r.firstLoss(), r.lastLoss(), r.seconds(), checkpoint, plan.device());
    };
  }
}

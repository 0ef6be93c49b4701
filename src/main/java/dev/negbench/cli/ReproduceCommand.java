package dev.negbench.cli;

import dev.negbench.experiment.CostEstimate;
import dev.negbench.experiment.CostEstimator;
import dev.negbench.experiment.EndpointProbe;
import dev.negbench.experiment.ExperimentConfig;
import dev.negbench.experiment.Pipeline;
import dev.negbench.experiment.StageCache;
import dev.negbench.experiment.sources.Source;
import dev.negbench.model.Device;
import dev.negbench.results.ResultsStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "reproduce",
    mixinStandardHelpOptions = true,
    description = {
      "Run an experiment config: negatives, training, dense retrieval and evaluation for every dataset, source and seed.",
      "",
      "The config (YAML or JSON, see configs/*.yaml) names datasets (BEIR folders, beir:NAME under $NEGBENCH_DATA, or synthetic:DOCS), negative sources (bm25, ce, dense, llm, file, mix), seeds, training and evaluation settings, and GPU prices. It is validated completely before any work: an unknown field, source type or dataset folder fails with exit 2, naming the file, line and field.",
      "",
      "Each result goes to RESULTS/EXPERIMENT/DATASET/SOURCE/seed-N/ (metrics.json, per-query.csv, provenance.json, hardness.json, generation.json for LLM sources); the untrained base model is the 'zero-shot' source. Every stage is cached under WORK/stages by a hash of its inputs and settings: a rerun does only what changed, and a killed run resumes where it stopped.",
      "",
      "Several reproduce processes started on the same config, --work-dir and --results (e.g. the array tasks that 'negbench slurm' writes) divide the cells among themselves: each takes the next cell nobody holds, shared stages are built once, and all exit 0 when every cell is done. Each prints the cells it took and what it waited for.",
      "",
      "Example: negbench reproduce --config configs/demo.yaml   (into work/results; then negbench report --results work/results)"
    })
final class ReproduceCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "Experiment config, YAML (.yaml, .yml) or JSON (.json).")
  Path config;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description =
          "Stage cache and large artifacts (default: --work-dir, i.e. $NEGBENCH_WORK or ./work).")
  Path work;

  // Under the git-ignored work folder: the committed results/ is written only when named.
  @Option(
      names = "--results",
      paramLabel = "DIR",
      description = {
        "Results store to write (default ${DEFAULT-VALUE}: results/ in $NEGBENCH_WORK, else in ./work, which git ignores; the committed results/ only when named: --results results).",
        "--plan reads its measured rates here; without this option, from the committed results/."
      })
  Path results = CommonOptions.defaultWorkDir().resolve("results");

  /**
   * The committed results: what --plan reads its measured rates from when --results is not given.
   */
  static final Path COMMITTED_RESULTS = Path.of("results");

  @Spec CommandSpec spec;

  @Option(
      names = "--skip-training",
      description =
          "Make negatives, hardness and the zero-shot row only; no training or trained evaluation.")
  boolean skipTraining;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "SOURCE",
      description =
          "Run only these sources (comma-separated names; a mix brings its parts). Default: all.")
  List<String> only;

  @Option(
      names = "--check",
      description =
          "Validate the config, resolve every model, dataset, split and generator profile, open every device the stages need, ask every llm endpoint for its models, and exit.")
  boolean check;

  @Option(
      names = "--no-probe",
      description =
          "Do not ask the llm sources' endpoints for their models (GET /v1/models) before any work: for a config checked before its servers are up. Without it, a server that is down, or serves another model than its generator profile names, fails with exit 2 naming the config line.")
  boolean noProbe;

  @Option(
      names = "--plan",
      description = {
        "Do no work: print what the run will cost, per stage (index, mine, score, generate, train, encode, evaluate) and in total: items, device, estimated seconds and US$.",
        "Rates come from what this project measured (earlier results under --results, their provenance, and the JMH kernels in RESULTS/jmh), each marked measured or assumed; the stage cache is ignored.",
        "A beir:NAME dataset not downloaded yet is counted from negbench's BEIR catalogue (its rows say 'items from the catalogue'), and models need not be here yet."
      })
  boolean plan;

  @Option(
      names = "--format",
      paramLabel = "text|json",
      description =
          "--plan's output: a table (default) or one JSON object with 'stages' and 'generators' arrays, a 'total' object (seconds, usd) and, with --workers, a 'workers' object.")
  String format = "text";

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = {
        "With --plan: also the wall time on N cooperating workers (N reproduce processes sharing --work-dir and --results, as 'negbench slurm --workers N' starts them): each takes the next cell whose stages nobody is building, shared stages (index, training rounds, negatives) are built once, and no number of workers beats the critical path, which is printed too.",
        "To run on N workers, start N reproduce processes; this option only plans."
      })
  Integer workers;

  @Option(
      names = "--device",
      paramLabel = "cpu|cuda[:N]",
      description = {
        "Run every model stage that names no device of its own here, instead of the config's 'device' (default: the config's, else cpu).",
        "cuda needs DJL's CUDA libtorch for training and checkpoints, and ONNX Runtime's GPU build ('mvn -Pcuda package') for ONNX models; a device a runtime cannot open fails at --check, never falling back to the CPU."
      })
  String device;

  // A few minutes: several heartbeats (every timeout / 6) may be lost to a busy NFS server or a
  // long
  // garbage collection before a live worker's stage is taken from it.
  @Option(
      names = "--lease-timeout",
      paramLabel = "SECONDS",
      description = {
        "Workers sharing --work-dir and --results (any number of reproduce processes, on machines that mount both) take a stage or cell over from another only when its lease had no heartbeat for this long (default ${DEFAULT-VALUE}); a worker of this host whose process is gone loses its leases at once."
      })
  long leaseTimeout = StageCache.DEFAULT_LEASE_TIMEOUT.toSeconds();

  @Override
  public Integer call() {
    // A plan prices the run before anything is fetched: beir: datasets and models may be missing.
    ExperimentConfig.Loaded loaded =
        plan ? ExperimentConfig.loadBeforeDownload(config) : ExperimentConfig.load(config);
    ExperimentConfig.Loaded whole = loaded;
    if (only != null && !only.isEmpty()) {
      loaded = loaded.only(only);
    }
    if (!plan && !noProbe) {
      // Lines are the whole file's; the sources asked are those that run (a mix's parts included).
      EndpointProbe.check(whole, loaded.config().sources().stream().map(Source::name).toList());
    }
    if (device != null) {
      Device.parse(device);
      loaded = loaded.withConfig(loaded.config().withDevice(device));
    }
    if (workers != null && (!plan || workers < 1)) {
      throw new IllegalArgumentException(
          !plan
              ? "--workers plans a run on N workers and needs --plan; to run on N workers, start N"
                  + " reproduce processes on the same --work-dir and --results (negbench slurm"
                  + " writes the job)"
              : "--workers must be at least 1, was " + workers);
    }
    if (plan) {
      if (!format.equals("text") && !format.equals("json")) {
        throw new IllegalArgumentException("--format must be text or json, was '" + format + "'");
      }
      // Reading the committed measurements is harmless; writing there needs --results results.
      Path measured =
          spec.commandLine().getParseResult().hasMatchedOption("--results")
              ? results
              : COMMITTED_RESULTS;
      CostEstimator estimator = new CostEstimator(loaded, measured, common.threads);
      CostEstimate e = workers == null ? estimator.estimate() : estimator.estimate(workers);
      System.out.print(format.equals("json") ? e.toJson() : e.toText());
      return 0;
    }
    Path workDir = work != null ? work : common.workDir;
    Pipeline pipeline =
        new Pipeline(
            loaded,
            workDir,
            new ResultsStore(results),
            Pipeline.Steps.standard(workDir),
            skipTraining,
            common.threads,
            common.progress(),
            common::info);
    if (leaseTimeout < 1) {
      throw new IllegalArgumentException(
          "--lease-timeout must be at least 1 second, was " + leaseTimeout);
    }
    pipeline.leaseTimeout(Duration.ofSeconds(leaseTimeout));
    pipeline.preflight();
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
            "reproduce %s: %d results under %s; %d stages run, %d reused; %.1f s%n"
                + "its report: bin/negbench report --results %s   (writes %s/index.html)",
            loaded.config().name(),
            s.results().size(),
            results,
            s.stagesRun(),
            s.stagesReused(),
            (System.nanoTime() - start) / 1e9,
            results,
            CommonOptions.defaultWorkDir().resolve("report")));
    return 0;
  }
}

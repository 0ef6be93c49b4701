package dev.negbench.cli;

import dev.negbench.experiment.ExperimentConfig;
import dev.negbench.experiment.SlurmScript;
import dev.negbench.experiment.StageCache;
import dev.negbench.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "slurm",
    mixinStandardHelpOptions = true,
    description = {
      "Write an sbatch script that runs an experiment on a Slurm cluster: a job array of N workers, each 'reproduce' on the same config, work and results folders (they divide the cells among themselves and build each shared stage once), and a report job that runs after the array (--dependency=afterany, submitted by task 0).",
      "",
      "The work folder (stage cache, leases, logs under WORK/slurm), the results folder and this checkout must be on storage that every node mounts at the same path (NFS, Lustre). A worker whose node dies loses its leases after --lease-timeout without a heartbeat; the others then take its stage over.",
      "",
      "Example: negbench slurm --config configs/paper.yaml --workers 8 --gpus-per-worker 1 --work-dir /shared/negbench/work --results /shared/negbench/results --out paper.sbatch && sbatch paper.sbatch"
    })
final class SlurmCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "Experiment config (validated before the script is written).")
  Path config;

  @Option(
      names = "--workers",
      required = true,
      paramLabel = "N",
      description = "Array tasks: reproduce workers that share the grid.")
  int workers;

  @Option(
      names = "--work-dir",
      required = true,
      paramLabel = "DIR",
      description = "Shared work folder: the stage cache every worker reads and writes.")
  Path work;

  @Option(
      names = "--results",
      required = true,
      paramLabel = "DIR",
      description = "Shared results folder the workers write and the report job reads.")
  Path results;

  @Option(
      names = "--gpus-per-worker",
      paramLabel = "G",
      description = "GPUs each worker asks for (--gres=gpu:G; default ${DEFAULT-VALUE}: none).")
  int gpus;

  @Option(
      names = "--cpus-per-worker",
      paramLabel = "C",
      description =
          "CPUs each worker asks for and uses (--cpus-per-task, --threads; default ${DEFAULT-VALUE}).")
  int cpus = 4;

  @Option(
      names = "--partition",
      paramLabel = "P",
      description = "Slurm partition (default: the cluster's).")
  String partition;

  @Option(
      names = "--time",
      paramLabel = "T",
      description =
          "Time limit per worker, as Slurm writes it: MINUTES, HH:MM:SS or D-HH:MM:SS (default: the partition's).")
  String time;

  @Option(
      names = "--lease-timeout",
      paramLabel = "SECONDS",
      description = "Passed to every worker's reproduce (default ${DEFAULT-VALUE}).")
  long leaseTimeout = StageCache.DEFAULT_LEASE_TIMEOUT.toSeconds();

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write the script (default: NAME.sbatch, NAME the experiment's).")
  Path out;

  @Override
  public Integer call() {
    ExperimentConfig.Loaded loaded = ExperimentConfig.load(config);
    String name = loaded.config().name();
    SlurmScript script =
        new SlurmScript(
            Path.of("").toAbsolutePath(),
            config.toAbsolutePath().normalize(),
            name,
            workers,
            work.toAbsolutePath().normalize(),
            results.toAbsolutePath().normalize(),
            gpus,
            cpus,
            partition,
            time,
            leaseTimeout);
    Path file = out != null ? out : Path.of(name + ".sbatch");
    String text = script.text();
    try {
      // Slurm opens the tasks' --output files before the script runs: the folder must exist.
      Files.createDirectories(script.work().resolve("slurm"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + script.work().resolve("slurm"), e);
    }
    AtomicFiles.writeString(file, text);
    file.toFile().setExecutable(true);
    System.err.printf(
        "%s: %d workers of %s on %s, results in %s; submit with: sbatch %s%n",
        file, workers, config, work, results, file);
    return 0;
  }
}

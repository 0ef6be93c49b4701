package dev.negbench.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The sbatch script of an experiment on a Slurm cluster: an array of {@code workers} tasks, each a
 * {@code reproduce} worker on the shared work and results folders ({@link SharedGrid} divides the
 * cells among them), and a report job that the first task submits to run after the whole array
 * ({@code --dependency=afterany}: a task that died leaves its cells to the others, so the report
 * runs once the array is over, whatever each task's exit status).
 *
 * @param project the negbench checkout every node runs {@code bin/negbench} from
 * @param gpus GPUs per worker (0: none asked for)
 * @param partition null: the cluster's default
 * @param time a Slurm time limit per worker (e.g. {@code 1-00:00:00}); null: the partition's
 */
public record SlurmScript(
    Path project,
    Path config,
    String name,
    int workers,
    Path work,
    Path results,
    int gpus,
    int cpus,
    String partition,
    String time,
    long leaseTimeoutSeconds) {
  private static final Pattern TIME =
      Pattern.compile("[0-9]+(-[0-9]{1,2}(:[0-9]{2}(:[0-9]{2})?)?|:[0-9]{2}(:[0-9]{2})?)?");
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.,+-]+");

  public SlurmScript {
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be at least 1, was " + workers);
    }
    if (gpus < 0 || cpus < 1) {
      throw new IllegalArgumentException(
          "--gpus-per-worker must be 0 or more and --cpus-per-worker 1 or more, were "
              + gpus
              + " and "
              + cpus);
    }
    if (time != null && !TIME.matcher(time).matches()) {
      throw new IllegalArgumentException(
          "--time must be a Slurm time limit (MINUTES, HH:MM:SS, D-HH or D-HH:MM:SS), was '"
              + time
              + "'");
    }
    if (partition != null && !WORD.matcher(partition).matches()) {
      throw new IllegalArgumentException(
          "--partition must be a partition name, was '" + partition + "'");
    }
    if (!WORD.matcher(name).matches()) {
      throw new IllegalArgumentException("experiment name '" + name + "' is not a job name");
    }
  }

  /** The job name of the workers; the report job's adds {@code -report}. */
  public String jobName() {
    return "negbench-" + name;
  }

  /** The script's text. */
  public String text() {
    List<String> l = new ArrayList<>();
    l.add("#!/bin/bash");
    l.add(
        "# Written by `negbench slurm` for "
            + config
            + ": "
            + workers
            + " workers. Read it, edit it, then");
    l.add("#   sbatch " + "THIS_FILE");
    l.add(
        "# Every task runs `reproduce` on the same config, work and results folders; together they");
    l.add(
        "# divide the cells, build each shared stage once, and all exit 0 when every cell is done.");
    l.add(
        "# Shared storage (mounted at the same path on every node): the project " + project + ",");
    l.add("# the work folder " + work + " and the results folder " + results + ".");
    l.add(
        "# A task whose node dies loses its leases after "
            + leaseTimeoutSeconds
            + " s without a heartbeat;");
    l.add(
        "# the others then take its stage over. Task 0 submits the report job, run after the array.");
    l.add("#SBATCH --job-name=" + jobName());
    l.add("#SBATCH --array=0-" + (workers - 1));
    l.add("#SBATCH --ntasks=1");
    l.add("#SBATCH --cpus-per-task=" + cpus);
    if (gpus > 0) {
      l.add("#SBATCH --gres=gpu:" + gpus);
    }
    if (partition != null) {
      l.add("#SBATCH --partition=" + partition);
    }
    if (time != null) {
      l.add("#SBATCH --time=" + time);
    }
    l.add("#SBATCH --output=" + work.resolve("slurm") + "/%x-%A_%a.log");
    l.add("set -euo pipefail");
    l.add("cd " + quote(project.toString()));
    l.add("mkdir -p " + quote(work.resolve("slurm").toString()));
    l.add("if [[ \"${SLURM_ARRAY_TASK_ID:-0}\" == 0 ]]; then");
    l.add("  sbatch --parsable --job-name=" + jobName() + "-report \\");
    l.add("    --dependency=afterany:\"$SLURM_ARRAY_JOB_ID\" --ntasks=1 --cpus-per-task=1 \\");
    if (partition != null) {
      l.add("    --partition=" + partition + " \\");
    }
    l.add("    --output=" + quote(work.resolve("slurm") + "/%x-%j.log") + " \\");
    l.add(
        "    --wrap=\"cd "
            + quote(project.toString())
            + " && bin/negbench report --results "
            + quote(results.toString())
            + " --out "
            + quote(work.resolve("report").toString())
            + "\"");
    l.add("fi");
    l.add(
        "exec bin/negbench reproduce --config "
            + quote(config.toString())
            + " --work-dir "
            + quote(work.toString())
            + " --results "
            + quote(results.toString())
            + " --lease-timeout "
            + leaseTimeoutSeconds
            + " --threads "
            + cpus);
    return String.join("\n", l) + "\n";
  }

  /** A path for bash: as it is when it needs no quoting, else in single quotes. */
  static String quote(String s) {
    return s.matches("[A-Za-z0-9_./%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}

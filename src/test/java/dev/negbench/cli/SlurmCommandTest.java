package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code negbench slurm}: the sbatch script's directives, array, dependency and commands. */
class SlurmCommandTest {
  @TempDir Path tmp;

  private Path config() throws IOException {
    Path c = tmp.resolve("exp.yaml");
    Files.writeString(c, "name: grid\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\n");
    return c;
  }

  @Test
  void writesAnArrayOfWorkersAndAReportJobAfterIt() throws Exception {
    Path script = tmp.resolve("grid.sbatch");
    CliTest.Outcome o =
        CliTest.run(
            "slurm",
            "--config=" + config(),
            "--workers=3",
            "--work-dir=" + tmp.resolve("shared/work"),
            "--results=" + tmp.resolve("shared/results"),
            "--gpus-per-worker=1",
            "--cpus-per-worker=2",
            "--partition=gpu",
            "--time=1-00:00:00",
            "--out=" + script);
    assertEquals(0, o.code(), o.err());
    assertTrue(o.err().contains("sbatch " + script), o.err());
    assertTrue(Files.isDirectory(tmp.resolve("shared/work/slurm")), "the logs' folder exists");
    List<String> lines = Files.readAllLines(script);
    List<String> directives = lines.stream().filter(l -> l.startsWith("#SBATCH ")).toList();
    assertEquals(
        List.of(
            "#SBATCH --job-name=negbench-grid",
            "#SBATCH --array=0-2",
            "#SBATCH --ntasks=1",
            "#SBATCH --cpus-per-task=2",
            "#SBATCH --gres=gpu:1",
            "#SBATCH --partition=gpu",
            "#SBATCH --time=1-00:00:00",
            "#SBATCH --output=" + tmp.resolve("shared/work/slurm") + "/%x-%A_%a.log"),
        directives);
    String text = String.join("\n", lines);
    assertTrue(text.contains("--dependency=afterany:\"$SLURM_ARRAY_JOB_ID\""), text);
    assertTrue(text.contains("--job-name=negbench-grid-report"), text);
    assertTrue(
        text.contains("bin/negbench report --results " + tmp.resolve("shared/results")), text);
    assertTrue(
        text.contains(
            "exec bin/negbench reproduce --config "
                + tmp.resolve("exp.yaml")
                + " --work-dir "
                + tmp.resolve("shared/work")
                + " --results "
                + tmp.resolve("shared/results")
                + " --lease-timeout 180 --threads 2"),
        text);
    assertTrue(text.contains("cd " + Path.of("").toAbsolutePath()), "runs from this checkout");
    // The directives come before the first command, or sbatch ignores them.
    int lastDirective = lines.indexOf(directives.get(directives.size() - 1));
    assertTrue(lines.subList(0, lastDirective).stream().allMatch(l -> l.startsWith("#")), text);
    Process bash =
        new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
    assertEquals(0, bash.waitFor(), new String(bash.getInputStream().readAllBytes()));
  }

  @Test
  void noGpusNoPartitionNoTimeLeaveTheirDirectivesOut() throws Exception {
    Path script = tmp.resolve("cpu.sbatch");
    CliTest.Outcome o =
        CliTest.run(
            "slurm",
            "--config=" + config(),
            "--workers=1",
            "--work-dir=" + tmp.resolve("w"),
            "--results=" + tmp.resolve("r"),
            "--out=" + script);
    assertEquals(0, o.code(), o.err());
    String text = Files.readString(script);
    assertTrue(text.contains("#SBATCH --array=0-0\n"), text);
    assertFalse(
        text.contains("--gres") || text.contains("--partition") || text.contains("--time"), text);
  }

  @Test
  void badSettingsExitTwoAndWriteNothing() throws Exception {
    Path script = tmp.resolve("bad.sbatch");
    for (String[] bad :
        List.of(
            new String[] {"--workers=0"},
            new String[] {"--workers=2", "--time=tomorrow"},
            new String[] {"--workers=2", "--cpus-per-worker=0"})) {
      String[] args = new String[5 + bad.length];
      args[0] = "slurm";
      args[1] = "--config=" + config();
      args[2] = "--work-dir=" + tmp.resolve("w");
      args[3] = "--results=" + tmp.resolve("r");
      args[4] = "--out=" + script;
      System.arraycopy(bad, 0, args, 5, bad.length);
      CliTest.Outcome o = CliTest.run(args);
      assertEquals(2, o.code(), String.join(" ", bad) + ": " + o.err());
      assertFalse(Files.exists(script));
    }
    CliTest.Outcome noConfig =
        CliTest.run(
            "slurm",
            "--config=" + tmp.resolve("nowhere.yaml"),
            "--workers=2",
            "--work-dir=w",
            "--results=r",
            "--out=" + script);
    assertEquals(2, noConfig.code(), noConfig.err());
    assertFalse(Files.exists(script));
  }
}

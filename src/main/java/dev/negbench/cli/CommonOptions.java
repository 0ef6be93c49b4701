package dev.negbench.cli;

import dev.negbench.io.Progress;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command shares. */
final class CommonOptions {
  @Option(
      names = {"-q", "--quiet"},
      description = "No progress bars and no summary on stderr; errors are still printed.")
  boolean quiet;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Worker threads for indexing, search and mining (default: available processors, ${DEFAULT-VALUE} here).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Folder for large derived artifacts (indexes, caches); git ignores it. Default: $NEGBENCH_WORK, else ./work.")
  Path workDir = defaultWorkDir();

  Progress.Factory progress() {
    return new ConsoleProgress(quiet);
  }

  /** Prints a line on stderr unless --quiet. */
  void info(String message) {
    if (!quiet) {
      System.err.println(message);
    }
  }

  /**
   * $NEGBENCH_WORK, else ./work: the git-ignored folder every default output goes to, so that no
   * command writes into a committed folder unless told to.
   */
  static Path defaultWorkDir() {
    String env = System.getenv("NEGBENCH_WORK");
    return Path.of(env == null || env.isBlank() ? "work" : env);
  }
}

package dev.negbench.cli;

import dev.negbench.results.JmhResults;
import dev.negbench.results.KernelGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "check-kernels",
    mixinStandardHelpOptions = true,
    description = {
      "Fail when a JMH kernel has become slower than a committed figure.",
      "",
      "Compares every kernel and grid point of --committed (a JMH -rf json file) with the same kernel and point in --current: the speed ratio is the new throughput over the committed one, or the committed time per operation over the new one. Exits 1 when any point is below --min-ratio, or when a committed point is missing from the new run; a new point without a committed figure is listed and passes. CI runs the kernels' quick profile on the grid of results/jmh/guard/quick.json and checks it with this command (.ci/run).",
      "",
      "Example: negbench check-kernels --committed results/jmh/guard/quick.json --current target/jmh-guard.json"
    })
final class CheckKernelsCommand implements Callable<Integer> {
  @Option(
      names = "--committed",
      required = true,
      paramLabel = "FILE",
      description = "The committed JMH result (-rf json) to hold the new run against.")
  Path committed;

  @Option(
      names = "--current",
      required = true,
      paramLabel = "FILE",
      description = "The new JMH result, run with the same grid and settings.")
  Path current;

  @Option(
      names = "--min-ratio",
      paramLabel = "R",
      description =
          "Lowest speed allowed, as a share of the committed figure (default ${DEFAULT-VALUE}).")
  double minRatio = 0.5;

  @Option(
      names = "--include",
      paramLabel = "REGEX",
      description =
          "Only the kernels whose benchmark name (package.Class.method) this regular expression finds, in both files (default: all).")
  String include;

  @Override
  public Integer call() {
    if (!(minRatio > 0 && minRatio <= 1)) {
      throw new IllegalArgumentException(
          "--min-ratio: expected a number in (0, 1], got " + minRatio);
    }
    for (Path p : List.of(committed, current)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(p + ": JMH result file not found");
      }
    }
    JmhResults before = only(JmhResults.read(committed));
    JmhResults now = only(JmhResults.read(current));
    if (before.kernels().isEmpty()) {
      throw new IllegalArgumentException(
          committed + ": no kernel" + (include == null ? "" : " matching --include " + include));
    }
    TreeSet<String> commits = new TreeSet<>();
    before.kernels().forEach(k -> commits.add(k.commit().isEmpty() ? "unrecorded" : k.commit()));
    List<KernelGuard.Comparison> all = KernelGuard.compare(before, now, minRatio);
    System.out.printf(
        Locale.ROOT,
        "check-kernels: %s (commit %s) against %s, failing below %.2f of the committed speed%n",
        committed,
        String.join(", ", commits),
        current,
        minRatio);
    all.forEach(c -> System.out.println(c.line()));
    long failed = all.stream().filter(c -> !c.passed()).count();
    System.out.printf(
        Locale.ROOT,
        "check-kernels: %d of %d points %s%n",
        failed == 0 ? all.size() : failed,
        all.size(),
        failed == 0 ? "hold" : "FAIL");
    return failed == 0 ? 0 : 1;
  }

  private JmhResults only(JmhResults all) {
    if (include == null) {
      return all;
    }
    Pattern p;
    try {
      p = Pattern.compile(include);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("--include: not a regular expression: " + include);
    }
    return new JmhResults(
        all.file(), all.kernels().stream().filter(k -> p.matcher(k.benchmark()).find()).toList());
  }
}

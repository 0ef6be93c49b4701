package dev.negbench.bench;

import dev.negbench.results.JmhRatios;
import dev.negbench.results.JmhResults;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The ratios the kernels exist to answer, read from a JMH {@code -rf json} result file and printed:
 * each variant against the baseline in its own class, and achieved GFLOP/s against the GEMM peak
 * measured in the same run, each beside its target ({@link JmhRatios} computes them; the report
 * renders the same). {@code mvn jmh:run} prints it after every run; {@code java -cp ...
 * dev.negbench.bench.JmhSummary FILE} prints it for a saved file.
 */
public final class JmhSummary {
  private JmhSummary() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: JmhSummary RESULT.json");
      System.exit(2);
    }
    print(Path.of(args[0]), System.out);
  }

  static void print(Path file, PrintStream out) {
    List<JmhResults.Kernel> rows = JmhResults.read(file).kernels();
    out.println("JMH summary of " + file + " (speed ratios: higher is better)");
    JmhRatios.Comparison shown = null;
    for (JmhRatios.Ratio r : JmhRatios.ratios(rows)) {
      JmhRatios.Comparison c = r.comparison();
      if (c != shown) {
        out.printf(
            Locale.ROOT,
            "%s: %s / %s, target >= %.2f (%s)%n",
            c.benchmarkClass(),
            c.variant(),
            c.baseline(),
            c.target(),
            c.why());
        shown = c;
      }
      String verdict = r.targetApplies() ? (r.met() ? "met" : "MISSED") : "(no target)";
      String recall =
          Double.isNaN(r.variant().recall())
              ? ""
              : String.format(Locale.ROOT, " (recall %.4f)", r.variant().recall());
      out.printf(
          Locale.ROOT,
          "  %-72s %6.2fx  %s%s%n",
          JmhRatios.describe(r.params()),
          r.ratio(),
          verdict,
          recall);
    }
    JmhRatios.Pairing pairing = null;
    for (JmhRatios.PairedRatio r : JmhRatios.pairedRatios(rows)) {
      if (r.pairing() != pairing) {
        pairing = r.pairing();
        out.printf(
            Locale.ROOT,
            "%s: %s, %s / %s, target >= %.2f (%s)%n",
            pairing.benchmarkClass(),
            pairing.method(),
            pairing.baselineSeconds(),
            pairing.variantSeconds(),
            pairing.target(),
            pairing.why());
      }
      String verdict = r.targetApplies() ? (r.met() ? "met" : "MISSED") : "(no target)";
      out.printf(
          Locale.ROOT,
          "  %-72s %6.3fx  %s (forks %.3f-%.3f)%n",
          JmhRatios.describe(r.run().params()),
          r.ratio(),
          verdict,
          r.lowestFork(),
          r.highestFork());
    }
    JmhRatios.Efficiency header = null;
    for (JmhRatios.Share s : JmhRatios.shares(rows)) {
      JmhRatios.Efficiency eff = s.efficiency();
      if (eff != header) {
        out.printf(
            Locale.ROOT,
            "%s: achieved GFLOP/s against the GEMM peak of the same grid point (%s), target >= %.0f%% for %s%n",
            eff.benchmarkClass(),
            eff.peakMethod(),
            eff.target() * 100,
            eff.why());
        header = eff;
      }
      String verdict =
          !s.valid()
              ? "INVALID: over 100% of the peak (mis-measured peak)"
              : s.targetApplies() ? (s.met() ? "met" : "MISSED") : "(no target)";
      out.printf(
          Locale.ROOT,
          "  %-13s %-72s %7.2f of %7.2f GFLOP/s = %5.1f%%  %s%n",
          s.kernel().method(),
          JmhRatios.describe(s.kernel().params()),
          s.kernel().flopRate() / 1e9,
          s.peak().flopRate() / 1e9,
          s.share() * 100,
          verdict);
    }
  }
}

package dev.negbench.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The guard against kernel regressions: each kernel of a committed JMH result, at each grid point,
 * against the same kernel and point of a new run. A kernel fails when its speed falls below {@code
 * minRatio} of the committed figure: throughput ({@code thrpt}) divided, or for time per operation
 * ({@code avgt}, {@code sample}, {@code ss}) the committed time over the new one. A committed point
 * the new run lacks fails too (the check named it and it did not run); a new point without a
 * committed figure is listed and passes.
 */
public final class KernelGuard {
  private KernelGuard() {}

  /** One grid point of one kernel: its committed and new primary scores and the speed ratio. */
  public record Comparison(
      String benchmark,
      String params,
      String mode,
      String unit,
      double committed,
      double current,
      double ratio,
      boolean passed,
      String note) {
    /** One line of the guard's table. */
    public String line() {
      return String.format(
          Locale.ROOT,
          "%s  %s [%s] %s: committed %s, now %s %s, speed %s%s",
          passed ? "ok  " : "FAIL",
          benchmark,
          params,
          mode,
          num(committed),
          num(current),
          unit,
          Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio),
          note.isEmpty() ? "" : " (" + note + ")");
    }

    private static String num(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }
  }

  public static List<Comparison> compare(
      JmhResults committed, JmhResults current, double minRatio) {
    Map<String, JmhResults.Kernel> now = new LinkedHashMap<>();
    current.kernels().forEach(k -> now.put(key(k), k));
    List<Comparison> out = new ArrayList<>();
    for (JmhResults.Kernel c : committed.kernels()) {
      JmhResults.Kernel n = now.remove(key(c));
      if (n == null) {
        out.add(
            new Comparison(
                c.shortName(),
                c.paramText(),
                c.mode(),
                c.unit(),
                c.score(),
                Double.NaN,
                Double.NaN,
                false,
                "not in the new run"));
        continue;
      }
      double ratio = faster(c.mode()) ? n.score() / c.score() : c.score() / n.score();
      boolean passed = ratio >= minRatio;
      out.add(
          new Comparison(
              c.shortName(),
              c.paramText(),
              c.mode(),
              c.unit(),
              c.score(),
              n.score(),
              ratio,
              passed,
              passed
                  ? ""
                  : String.format(Locale.ROOT, "below %.2f of the committed figure", minRatio)));
    }
    for (JmhResults.Kernel n : now.values()) {
      out.add(
          new Comparison(
              n.shortName(),
              n.paramText(),
              n.mode(),
              n.unit(),
              Double.NaN,
              n.score(),
              Double.NaN,
              true,
              "no committed figure: add it to the committed file"));
    }
    return out;
  }

  /** Whether a larger score is faster: throughput; the other modes are time per operation. */
  static boolean faster(String mode) {
    return mode.equals("thrpt");
  }

  private static String key(JmhResults.Kernel k) {
    return k.benchmark() + "|" + k.mode() + "|" + k.paramText();
  }
}

package dev.negbench.cli;

import dev.negbench.io.Progress;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr, drawn only when stderr goes to a terminal and {@code --quiet} is off:
 * logs and CI output stay free of carriage-return noise.
 */
final class ConsoleProgress implements Progress.Factory {
  private final boolean enabled;
  private final String unit;
  private final long unitSize;

  ConsoleProgress(boolean quiet) {
    this(quiet, "", 1);
  }

  /** Bars counting in {@code unit}s of {@code unitSize} steps, e.g. downloads in MB of bytes. */
  ConsoleProgress(boolean quiet, String unit, long unitSize) {
    this.enabled = !quiet && isTerminal();
    this.unit = unit;
    this.unitSize = unitSize;
  }

  @Override
  public Progress start(String task, long total) {
    if (!enabled) {
      return Progress.NONE;
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
            .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
            .setUnit(unit, unitSize)
            .showSpeed()
            .setUpdateIntervalMillis(250)
            .build();
    return new Progress() {
      @Override
      public void advance(long steps) {
        bar.stepBy(steps);
      }

      @Override
      public void total(long newTotal) {
        bar.maxHint(newTotal);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }

  /**
   * True when the JVM talks to a terminal. Before JDK 22 {@code System.console()} is null off a
   * terminal; from 22 on it may exist anyway and {@code Console.isTerminal()} tells.
   */
  static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console exists only on a terminal
    }
  }
}

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

  ConsoleProgress(boolean quiet) {
    this.enabled = !quiet && isTerminal();
  }

  @Override
  public Progress start(String task, long total) {
    return enabled ? start(builder(task, total)) : Progress.NONE;
  }

  /** Bytes drawn in MB (10^6 bytes), the rate in MB/s. */
  @Override
  public Progress startBytes(String task, long total) {
    return enabled ? start(builder(task, total).setUnit(" MB", 1_000_000)) : Progress.NONE;
  }

  private static ProgressBarBuilder builder(String task, long total) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
        .showSpeed()
        .setUpdateIntervalMillis(250);
  }

  private static Progress start(ProgressBarBuilder builder) {
    ProgressBar bar = builder.build();
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

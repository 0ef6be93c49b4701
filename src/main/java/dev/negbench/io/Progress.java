package dev.negbench.io;

/**
 * Reports the advance of long work. Stages take one from their caller so that they never depend on
 * how (or whether) progress is shown; the CLI draws a progress bar on a terminal.
 */
public interface Progress extends AutoCloseable {
  /** A progress that shows nothing. */
  Progress NONE =
      new Progress() {
        @Override
        public void advance(long steps) {}

        @Override
        public void close() {}
      };

  /** Work made {@code steps} more units of progress. Safe to call from several threads. */
  void advance(long steps);

  default void advance() {
    advance(1);
  }

  /** Sets or changes the total once known; unknown totals show a spinner. */
  default void total(long total) {}

  @Override
  void close();

  /** Creates progress reports for named tasks. */
  @FunctionalInterface
  interface Factory {
    Factory NONE = (task, total) -> Progress.NONE;

    /** A new progress for {@code task} with {@code total} units, or -1 when unknown. */
    Progress start(String task, long total);

    /**
     * A new progress counted in bytes ({@code total}, or -1 when unknown), drawn in MB with the
     * rate in MB/s where the factory draws anything (a download).
     */
    default Progress startBytes(String task, long total) {
      return start(task, total);
    }
  }
}

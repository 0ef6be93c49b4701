package dev.negbench.io;

import java.nio.file.Path;

/**
 * Bad input in a dataset, qrels, run or negatives file. The message always names the file, the
 * 1-based line (0 when the problem is not tied to a line) and what was expected there; the CLI maps
 * this exception to exit code 2.
 */
public final class DatasetFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Path file;
  private final long line;

  public DatasetFormatException(Path file, long line, String expected) {
    this(file, line, expected, null);
  }

  public DatasetFormatException(Path file, long line, String expected, Throwable cause) {
    super(format(file, line, expected), cause);
    this.file = file;
    this.line = line;
  }

  private static String format(Path file, long line, String expected) {
    return line > 0 ? file + ":" + line + ": " + expected : file + ": " + expected;
  }

  public Path file() {
    return file;
  }

  /** 1-based line number, or 0 when the error concerns the whole file. */
  public long line() {
    return line;
  }
}

package dev.negbench.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The simulator's timings log: one JSON line per request with the timings it really applied,
 * appended and flushed as each request ends, so a killed run keeps what it wrote. Without a file,
 * lines are dropped.
 */
final class SimTimingsLog implements AutoCloseable {
  private final Path file;
  private final BufferedWriter out;

  private SimTimingsLog(Path file, BufferedWriter out) {
    this.file = file;
    this.out = out;
  }

  /** Appends to {@code file}, creating its folder; {@code file} null keeps no log. */
  static SimTimingsLog open(Path file) throws IOException {
    if (file == null) {
      return new SimTimingsLog(null, null);
    }
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    return new SimTimingsLog(
        file,
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
  }

  /** Writes {@code record} as one line; lines of concurrent requests never interleave. */
  void write(ObjectNode record) {
    if (out == null) {
      return;
    }
    String line = record.toString();
    synchronized (out) {
      try {
        out.write(line);
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }
  }

  @Override
  public void close() {
    if (out == null) {
      return;
    }
    synchronized (out) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }
  }
}

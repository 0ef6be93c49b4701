package dev.negbench.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The crash-safe record of finished (query, positive) pairs: an append-only JSONL file, one
 * finished pair a line, each with its {@code key} (a hash of generator, parameters, prompt, query
 * id and positive id). Each line is written with one {@code write} call as soon as its pair
 * finishes, so a killed process loses only the pairs in flight; the file is forced to disk every
 * {@code syncEveryMs} and on close, which bounds what a power cut can lose. On open, a torn last
 * line (no final newline: the process died mid-write) is cut off; a bad line anywhere else is an
 * error, since the file was damaged otherwise.
 */
public final class GenerationCache implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final Map<String, ObjectNode> entries = new LinkedHashMap<>();
  private final long syncEveryNanos;
  private long lastSync = System.nanoTime();
  private long repairedBytes;

  private GenerationCache(Path file, FileChannel channel, long syncEveryMs) {
    this.file = file;
    this.channel = channel;
    this.syncEveryNanos = syncEveryMs * 1_000_000L;
  }

  /** Opens (or creates) the cache, repairing a torn last line. */
  public static GenerationCache open(Path file, long syncEveryMs) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      GenerationCache cache = new GenerationCache(file, ch, syncEveryMs);
      try {
        cache.load();
      } catch (RuntimeException e) {
        ch.close();
        throw e;
      }
      return cache;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  private void load() throws IOException {
    long size = channel.size();
    byte[] bytes = new byte[(int) size];
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining() && channel.read(buf, buf.position()) > 0) {
      // read the whole file
    }
    int end = bytes.length;
    int lastNewline = end - 1;
    while (lastNewline >= 0 && bytes[lastNewline] != '\n') {
      lastNewline--;
    }
    int complete = lastNewline + 1;
    if (complete < end) {
      repairedBytes = end - complete;
      channel.truncate(complete);
      channel.force(true);
    }
    channel.position(complete);
    int start = 0;
    long line = 0;
    while (start < complete) {
      int nl = start;
      while (bytes[nl] != '\n') {
        nl++;
      }
      line++;
      String text = new String(bytes, start, nl - start, StandardCharsets.UTF_8).strip();
      start = nl + 1;
      if (text.isEmpty()) {
        continue;
      }
      JsonNode node;
      try {
        node = Json.PLAIN.readTree(text);
      } catch (JsonProcessingException e) {
        throw new DatasetFormatException(
            file,
            line,
            "expected one JSON object per line (a damaged cache; delete it to start over): "
                + e.getOriginalMessage());
      }
      if (node == null || !node.isObject() || !node.path("key").isTextual()) {
        throw new DatasetFormatException(
            file, line, "expected a JSON object with a string \"key\"");
      }
      // A later line for the same key (a retried failure) supersedes the earlier one.
      entries.put(node.get("key").asText(), (ObjectNode) node);
    }
  }

  /** Finished entries by key, in the order first written. */
  public Map<String, ObjectNode> entries() {
    return entries;
  }

  /** Bytes of a torn last line cut off on open (0 when the file was whole). */
  public long repairedBytes() {
    return repairedBytes;
  }

  /** Appends one finished pair; thread-safe. */
  public synchronized void append(ObjectNode entry) {
    byte[] line = (entry.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buf = ByteBuffer.wrap(line);
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      long now = System.nanoTime();
      if (now - lastSync >= syncEveryNanos) {
        channel.force(false);
        lastSync = now;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
    entries.put(entry.get("key").asText(), entry);
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() {
    try {
      if (channel.isOpen()) {
        channel.force(true);
        channel.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}

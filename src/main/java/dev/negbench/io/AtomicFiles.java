package dev.negbench.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Writes a file so that readers see either the old content or the whole new content, never a
 * half-written file: the content goes to a temporary file beside the target, which is moved over
 * the target only after it was written, flushed and synced. On any failure the temporary file is
 * deleted and the target is untouched.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the text produced by {@code body}. */
  @FunctionalInterface
  public interface WriterBody {
    void write(BufferedWriter out) throws IOException;
  }

  /** Writes bytes straight to the file's channel (binary files: tensors, embeddings). */
  @FunctionalInterface
  public interface ChannelBody {
    void write(FileChannel out) throws IOException;
  }

  /** Writes UTF-8 text. */
  public static void write(Path target, WriterBody body) {
    writeBytes(
        target,
        channel -> {
          // Not closed here: closing the writer would close the channel before it is synced.
          BufferedWriter out =
              new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), 1 << 16);
          body.write(out);
          out.flush();
        });
  }

  /** Writes binary content. */
  public static void writeBytes(Path target, ChannelBody body) {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        body.write(channel);
        channel.force(true);
      }
      move(tmp, absolute);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the original error matters more
        }
      }
    }
  }

  public static void writeString(Path target, String text) {
    write(target, out -> out.write(text));
  }

  /** Moves a finished temporary file over the target, atomically where the file system can. */
  public static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes a folder and everything in it; a missing folder is fine. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** SHA-256 of a file's bytes, hex: how caches and indexes recognise their inputs. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = newSha256();
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** SHA-256 of a string's UTF-8 bytes, hex: how caches key settings and prompts. */
  public static String sha256(String text) {
    return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** SHA-256 of bytes, raw (32 bytes). */
  public static byte[] sha256(byte[] bytes) {
    return newSha256().digest(bytes);
  }

  /**
   * A fresh SHA-256 digest, for hashing a stream piece by piece; the one place the algorithm is
   * named.
   */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}

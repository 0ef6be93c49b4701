package dev.negbench.download;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Free disk space where a download goes, checked before bytes are written. */
public final class DiskSpace {
  /**
   * An unpacked BEIR zip's size as a multiple of the zip's, for checking space before the zip is
   * there (after it is, the zip's own entry sizes are checked): an assumption with room to spare.
   * SciFact's 2,816,079-byte zip unpacks to 8.2 MB, 2.9 times.
   */
  public static final double UNPACKED_PER_ZIP_BYTE = 4.0;

  private DiskSpace() {}

  /** Bytes free to this user on the file system that holds {@code dir} (or would hold it). */
  public static long free(Path dir) {
    Path p = dir.toAbsolutePath().normalize();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p == null) {
      return Long.MAX_VALUE;
    }
    try {
      return Files.getFileStore(p).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the free space at " + p, e);
    }
  }

  /**
   * Fails unless {@code bytes} fit at {@code dir}.
   *
   * @throws UncheckedIOException naming the folder, what needs the space, and both sizes (exit 1)
   */
  public static void require(Path dir, long bytes, String what) {
    long free = free(dir);
    if (bytes > free) {
      throw new UncheckedIOException(
          "not enough disk space at " + dir.toAbsolutePath().normalize() + " for " + what,
          new IOException("needs " + human(bytes) + ", " + human(free) + " free"));
    }
  }

  /** Bytes as a person reads them: {@code 2,816,079 bytes (2.8 MB)}. */
  public static String human(long bytes) {
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return u < 0
        ? String.format(Locale.ROOT, "%,d bytes", bytes)
        : String.format(Locale.ROOT, "%,d bytes (%.1f %s)", bytes, v, units[u]);
  }
}

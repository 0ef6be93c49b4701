package dev.negbench.download;

import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Unpacks a zip into a folder, refusing every entry that would land outside it (an absolute name, a
 * drive letter, or {@code ..} segments: the "zip slip" of CVE-2018-1002200) before anything is
 * written, and checking first that the unpacked sizes fit on the disk.
 */
final class SafeUnzip {
  private SafeUnzip() {}

  /**
   * Unpacks {@code zip} into the empty folder {@code into}.
   *
   * @throws DatasetFormatException for a file that is not a whole zip or an entry escaping {@code
   *     into} (bad input: exit 2)
   * @throws UncheckedIOException when the disk cannot hold it or a write fails (exit 1)
   */
  static void unpack(Path zip, Path into) {
    Path root = into.toAbsolutePath().normalize();
    try (ZipFile z = open(zip)) {
      long bytes = 0;
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        target(zip, root, entry.getName());
        bytes += Math.max(0, entry.getSize());
      }
      DiskSpace.require(root, bytes, "unpacking " + zip.getFileName());
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        Path target = target(zip, root, entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = z.getInputStream(entry)) {
          Files.copy(in, target);
        } catch (ZipException ex) {
          throw new DatasetFormatException(
              zip, 0, "entry " + entry.getName() + " is damaged: " + ex.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + zip + " into " + into, e);
    }
  }

  private static ZipFile open(Path zip) {
    try {
      return new ZipFile(zip.toFile());
    } catch (ZipException e) {
      throw new DatasetFormatException(
          zip, 0, "expected a whole zip file (is it truncated?): " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + zip, e);
    }
  }

  /** Where an entry goes; an entry that would leave {@code root} is refused. */
  static Path target(Path zip, Path root, String name) {
    String n = name.replace('\\', '/');
    boolean absolute =
        n.startsWith("/") || n.toLowerCase(Locale.ROOT).matches("^[a-z]:.*") || n.contains("\0");
    Path target = root.resolve(n).normalize();
    if (absolute || n.matches("(^|.*/)\\.\\.(/.*|$)") || !target.startsWith(root)) {
      throw new DatasetFormatException(
          zip,
          0,
          "refused zip entry '"
              + name
              + "': it would be written outside "
              + root
              + " (expected relative names without '..')");
    }
    return target;
  }
}
